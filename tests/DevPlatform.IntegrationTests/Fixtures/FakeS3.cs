using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// An S3 endpoint on loopback (path-style) for what backups use — PutObject, HeadObject, GetObject, DeleteObject,
/// ListObjectsV2 — that checks every request's AWS Signature Version 4 as S3 does (canonical request from the raw
/// target, signed headers, payload hash; 403 SignatureDoesNotMatch otherwise) and the payload against its declared
/// SHA-256. Objects keep their <c>x-amz-meta-*</c> metadata.
/// </summary>
public sealed class FakeS3 : IAsyncDisposable
{
    public const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string Region = "eu-west-1";
    private readonly ConcurrentDictionary<string, (byte[] Body, Dictionary<string, string> Metadata, DateTimeOffset Modified)> objects = new();
    private WebApplication? app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Every request as "METHOD target status".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public IReadOnlyCollection<string> Keys => objects.Keys.Order(StringComparer.Ordinal).ToList();

    public static async Task<FakeS3> StartAsync()
    {
        var s3 = new FakeS3();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        s3.app = builder.Build();
        s3.app.Run(s3.HandleAsync);
        await s3.app.StartAsync();
        s3.Endpoint = new Uri(s3.app.Urls.First());
        return s3;
    }

    public void Corrupt(string key) => objects.AddOrUpdate(key, _ => throw new KeyNotFoundException(key), (_, o) => (o.Body.Select((b, i) => i == 100 ? (byte)(b ^ 0xFF) : b).ToArray(), o.Metadata, o.Modified));

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var problem = Verify(request, target, body);
        if (problem is not null)
        {
            await ErrorAsync(context, 403, "SignatureDoesNotMatch", problem);
        }
        else
        {
            await RouteAsync(context, body);
        }

        Requests.Enqueue($"{request.Method} {target} {context.Response.StatusCode}");
    }

    private async Task RouteAsync(HttpContext context, byte[] body)
    {
        var request = context.Request;
        var segments = request.Path.Value!.TrimStart('/').Split('/', 2);
        var (bucket, key) = (segments[0], segments.Length > 1 ? segments[1] : "");
        switch (request.Method)
        {
            case "GET" when key.Length == 0 && request.Query["list-type"] == "2":
                await ListAsync(context, bucket, request.Query["prefix"].ToString());
                break;
            case "PUT" when key.Length > 0:
                var metadata = request.Headers.Where(h => h.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
                    .ToDictionary(h => h.Key["x-amz-meta-".Length..].ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
                objects[$"{bucket}/{key}"] = (body, metadata, DateTimeOffset.UtcNow);
                context.Response.Headers.ETag = ETag(body);
                break;
            case "GET" or "HEAD" when objects.TryGetValue($"{bucket}/{key}", out var item):
                foreach (var (name, value) in item.Metadata)
                {
                    context.Response.Headers[$"x-amz-meta-{name}"] = value;
                }

                context.Response.Headers.ETag = ETag(item.Body);
                context.Response.Headers.LastModified = item.Modified.ToString("R", CultureInfo.InvariantCulture);
                context.Response.ContentType = "application/gzip";
                context.Response.ContentLength = item.Body.Length;
                if (request.Method == "GET")
                {
                    await context.Response.Body.WriteAsync(item.Body);
                }

                break;
            case "DELETE" when key.Length > 0:
                objects.TryRemove($"{bucket}/{key}", out _);
                context.Response.StatusCode = 204;
                break;
            default:
                await ErrorAsync(context, 404, "NoSuchKey", "The specified key does not exist.");
                break;
        }
    }

    private async Task ListAsync(HttpContext context, string bucket, string prefix)
    {
        XNamespace ns = "http://s3.amazonaws.com/doc/2006-03-01/";
        var matching = objects.Where(o => o.Key.StartsWith($"{bucket}/{prefix}", StringComparison.Ordinal)).OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        var result = new XElement(ns + "ListBucketResult",
            new XElement(ns + "Name", bucket), new XElement(ns + "Prefix", prefix), new XElement(ns + "KeyCount", matching.Count),
            new XElement(ns + "MaxKeys", 1000), new XElement(ns + "IsTruncated", "false"),
            matching.Select(o => new XElement(ns + "Contents",
                new XElement(ns + "Key", o.Key[(bucket.Length + 1)..]),
                new XElement(ns + "LastModified", o.Value.Modified.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
                new XElement(ns + "ETag", ETag(o.Value.Body)),
                new XElement(ns + "Size", o.Value.Body.Length), new XElement(ns + "StorageClass", "STANDARD"))));
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync(new XDocument(new XDeclaration("1.0", "UTF-8", null), result).ToString());
    }

    /// <summary>AWS Signature Version 4 as S3 checks it; null when the request is genuine.</summary>
    private static string? Verify(HttpRequest request, string rawTarget, byte[] body)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return "Only AWS4-HMAC-SHA256 is accepted.";
        }

        var parts = authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var scope = parts["Credential"].Split('/');
        if (scope[0] != AccessKey || scope[2] != Region || scope[3] != "s3" || scope[4] != "aws4_request")
        {
            return $"The credential scope {parts["Credential"]} is not this key's, region's and service's.";
        }

        var payloadHash = request.Headers["x-amz-content-sha256"].ToString();
        if (payloadHash != "UNSIGNED-PAYLOAD" && payloadHash != Convert.ToHexStringLower(SHA256.HashData(body)))
        {
            return "The provided x-amz-content-sha256 header does not match what was computed.";
        }

        var signed = parts["SignedHeaders"].Split(';');
        var pathAndQuery = rawTarget.Split('?', 2);
        var canonical = string.Join('\n',
            request.Method,
            pathAndQuery[0],
            pathAndQuery.Length > 1 ? CanonicalQuery(pathAndQuery[1]) : "",
            string.Concat(signed.Select(h => $"{h}:{Collapse(request.Headers[h].ToString())}\n")),
            parts["SignedHeaders"],
            payloadHash);
        var date = request.Headers["x-amz-date"].ToString();
        var toSign = $"AWS4-HMAC-SHA256\n{date}\n{string.Join('/', scope[1..])}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = new[] { scope[1], scope[2], scope[3], scope[4] }.Aggregate(Encoding.UTF8.GetBytes("AWS4" + SecretKey), (k, part) => HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(part)));
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts["Signature"]))
            ? null : "The request signature we calculated does not match the signature you provided.";
    }

    private static string CanonicalQuery(string query) => string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(p => p.Split('=', 2)).Select(p => (Name: Encode(Uri.UnescapeDataString(p[0])), Value: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""))))
        .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value}"));

    private static string Encode(string value) => string.Concat(Encoding.UTF8.GetBytes(value).Select(b =>
        (b is >= (byte)'A' and <= (byte)'Z') || (b is >= (byte)'a' and <= (byte)'z') || (b is >= (byte)'0' and <= (byte)'9') || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~'
            ? ((char)b).ToString() : $"%{b:X2}"));

    /// <summary>S3's ETag of a single-part object is the MD5 of its bytes, quoted (a name, not a security check).</summary>
#pragma warning disable CA5351
    private static string ETag(byte[] body) => $"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"";
#pragma warning restore CA5351

    private static string Collapse(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>fake</RequestId></Error>");
    }
}
