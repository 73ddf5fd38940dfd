using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace DevPlatform.Access;

/// <summary>
/// An OpenSSH public key line (<c>type base64 [comment]</c>), parsed from its wire format (RFC 4253 §6.6, RFC 5656,
/// RFC 8709) and checked: ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa of at least 3072 bits (used with
/// rsa-sha2-256/512 signatures). The fingerprint is <c>SHA256:</c> + unpadded base64 of the blob, as <c>ssh-keygen -l</c> shows it.
/// </summary>
internal sealed record SshPublicKey(string Type, string Blob, string? Comment, int Bits, string Fingerprint)
{
    public const int MinimumRsaBits = 3072;

    private static readonly Dictionary<string, (string Curve, int PointBytes, int Bits)> Curves = new(StringComparer.Ordinal)
    {
        ["ecdsa-sha2-nistp256"] = ("nistp256", 65, 256),
        ["ecdsa-sha2-nistp384"] = ("nistp384", 97, 384),
        ["ecdsa-sha2-nistp521"] = ("nistp521", 133, 521),
    };

    /// <summary>What <c>ssh-keygen -l</c> prints: <c>256 SHA256:… comment (ED25519)</c>.</summary>
    public string Display => $"{Bits} {Fingerprint} {Comment ?? "no comment"} ({Kind})";

    public string Kind => Type switch
    {
        "ssh-ed25519" => "ED25519",
        "ssh-rsa" => "RSA",
        _ => "ECDSA",
    };

    /// <summary>The line as sshd's authorized_keys wants it.</summary>
    public string AuthorizedKey => Comment is null ? $"{Type} {Blob}" : $"{Type} {Blob} {Comment}";

    /// <summary>The key, or why it cannot be used.</summary>
    public static (SshPublicKey? Key, string? Problem) Parse(string? line)
    {
        var parts = (line ?? "").Trim().Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return (null, "is not an OpenSSH public key: expected 'type base64 [comment]', e.g. the contents of ~/.ssh/id_ed25519.pub.");
        }

        var (type, encoded) = (parts[0], parts[1]);
        if (type is "ssh-dss")
        {
            return (null, "is a DSA key, which OpenSSH no longer accepts; create an ed25519 key with `ssh-keygen -t ed25519`.");
        }

        if (type is not ("ssh-ed25519" or "ssh-rsa") && !Curves.ContainsKey(type))
        {
            return (null, $"has type '{Shorten(type)}'; accepted: ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa (3072 bits or more).");
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            return (null, "has a key part that is not base64; paste the whole line of the .pub file.");
        }

        var bits = Check(type, blob, out var problem);
        if (problem is not null)
        {
            return (null, problem);
        }

        var comment = parts.Length > 2 ? parts[2].Trim() : null;
        if (comment is { Length: > 200 } || (comment?.Any(char.IsControl) ?? false))
        {
            return (null, "has a comment longer than 200 characters or with control characters.");
        }

        var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
        return (new SshPublicKey(type, encoded, string.IsNullOrEmpty(comment) ? null : comment, bits, fingerprint), null);
    }

    /// <summary>Reads the wire format; returns the key size in bits, or sets <paramref name="problem"/>.</summary>
    private static int Check(string type, byte[] blob, out string? problem)
    {
        problem = null;
        var reader = new WireReader(blob);
        if (reader.String() is not { } inner || Encoding.ASCII.GetString(inner) != type)
        {
            problem = $"says '{type}' but its key data is not a {type} key.";
            return 0;
        }

        switch (type)
        {
            case "ssh-ed25519" when reader.String() is { Length: 32 } && reader.AtEnd:
                return 256;
            case "ssh-rsa" when reader.String() is { } exponent && reader.String() is { } modulus && reader.AtEnd:
                var bits = (int)new BigInteger(modulus, isUnsigned: true, isBigEndian: true).GetBitLength();
                if (exponent.Length == 0 || bits < MinimumRsaBits)
                {
                    problem = $"is an RSA key of {bits} bits; {MinimumRsaBits} or more are required (or use `ssh-keygen -t ed25519`).";
                }

                return bits;
            case var ecdsa when Curves.TryGetValue(ecdsa, out var curve)
                && reader.String() is { } name && Encoding.ASCII.GetString(name) == curve.Curve
                && reader.String() is { } point && point.Length == curve.PointBytes && point[0] == 4 && reader.AtEnd:
                return curve.Bits;
            default:
                problem = $"has {type} key data that is damaged or truncated; paste the whole line of the .pub file.";
                return 0;
        }
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    /// <summary>SSH wire strings: a big-endian uint32 length, then that many bytes.</summary>
    private ref struct WireReader(byte[] data)
    {
        private int position;

        public readonly bool AtEnd => position == data.Length;

        public byte[]? String()
        {
            if (data.Length - position < 4)
            {
                return null;
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(position));
            if (length > data.Length - position - 4)
            {
                return null;
            }

            var value = data.AsSpan(position + 4, (int)length).ToArray();
            position += 4 + (int)length;
            return value;
        }
    }
}
