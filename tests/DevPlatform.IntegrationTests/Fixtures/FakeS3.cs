using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// An S3 endpoint on loopback (path-style) for what backups use — PutObject, HeadObject, GetObject, DeleteObject,
/// ListObjectsV2 — that checks every request's AWS Signature Version 4 as S3 does (canonical request from the raw
/// target, signed headers, payload hash; 403 SignatureDoesNotMatch otherwise) and the payload against its declared
/// SHA-256. Objects keep their <c>x-amz-meta-*</c> metadata.
/// </summary>
public sealed class FakeS3 : FakeAwsEndpoint
{
    private readonly ConcurrentDictionary<string, (byte[] Body, Dictionary<string, string> Metadata, DateTimeOffset Modified)> objects = new();

    public override string Region => "eu-west-1";

    protected override string Service => "s3";

    protected override string ThrottlingCode => "SlowDown";

    public IReadOnlyCollection<string> Keys => objects.Keys.Order(StringComparer.Ordinal).ToList();

    public static Task<FakeS3> StartAsync() => StartAsync(new FakeS3());

    public void Corrupt(string key) => objects.AddOrUpdate(key, _ => throw new KeyNotFoundException(key), (_, o) => (o.Body.Select((b, i) => i == 100 ? (byte)(b ^ 0xFF) : b).ToArray(), o.Metadata, o.Modified));

    protected override async Task RouteAsync(HttpContext context, byte[] body)
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

    /// <summary>S3's ETag of a single-part object is the MD5 of its bytes, quoted (a name, not a security check).</summary>
#pragma warning disable CA5351
    private static string ETag(byte[] body) => $"\"{Convert.ToHexStringLower(MD5.HashData(body))}\"";
#pragma warning restore CA5351

    protected override async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message><RequestId>fake</RequestId></Error>");
    }
}
