using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// AWS Signature Version 4 checked as AWS documents it (canonical request from the raw target, sorted query, signed
/// headers, payload hash; string to sign; derived key) — what the fake AWS endpoints verify before answering.
/// </summary>
public static class SigV4
{
    /// <summary>Null when the request is genuine for the key, region and service; otherwise why not.</summary>
    public static string? Verify(HttpRequest request, string rawTarget, byte[] body, string accessKey, string secretKey, string region, string service)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return "Only AWS4-HMAC-SHA256 is accepted.";
        }

        var parts = authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var scope = parts["Credential"].Split('/');
        if (scope[0] != accessKey || scope[2] != region || scope[3] != service || scope[4] != "aws4_request")
        {
            return $"The credential scope {parts["Credential"]} is not this key's, region's and service's.";
        }

        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var payloadHash = request.Headers["x-amz-content-sha256"].ToString() is { Length: > 0 } declared ? declared : bodyHash;
        if (payloadHash != "UNSIGNED-PAYLOAD" && payloadHash != bodyHash)
        {
            return "The provided x-amz-content-sha256 header does not match what was computed.";
        }

        var signed = parts["SignedHeaders"].Split(';');
        if (!signed.Contains("host") || !signed.Contains("x-amz-date"))
        {
            return "The host and x-amz-date headers must be signed.";
        }

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
        var key = new[] { scope[1], scope[2], scope[3], scope[4] }.Aggregate(Encoding.UTF8.GetBytes("AWS4" + secretKey), (k, part) => HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(part)));
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

    private static string Collapse(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
