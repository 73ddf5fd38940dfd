using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace DevPlatform.Identity;

/// <summary>Random secrets and the one-way form they are stored in (API tokens, hub tokens, login attempts).</summary>
internal static class Secrets
{
    /// <summary>The stored form of a secret: lower-case hex SHA-256.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>32 random bytes, base64url without padding (43 characters).</summary>
    public static string NewUrlSafe() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>PKCE S256 (RFC 7636 §4.2): base64url(SHA-256(ASCII verifier)).</summary>
    public static string CodeChallenge(string verifier) => Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}
