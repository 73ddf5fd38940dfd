using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DevPlatform.Plugins.Access.Dns;

/// <summary>
/// Transaction signatures (RFC 8945) with HMAC-SHA256: signs a request and verifies the server's signed answers,
/// including the chained signatures of a multi-message zone transfer (§5.3.1).
/// </summary>
internal sealed class Tsig(string keyName, byte[] secret, TimeProvider time)
{
    public const string Algorithm = "hmac-sha256";
    private const ushort Fudge = 300;

    public string KeyName { get; } = keyName.TrimEnd('.').ToLowerInvariant();

    /// <summary>Appends a TSIG record to <paramref name="unsigned"/> (whose ARCOUNT it increments); returns the message and its MAC.</summary>
    public (byte[] Message, byte[] Mac) Sign(byte[] unsigned)
    {
        var id = BinaryPrimitives.ReadUInt16BigEndian(unsigned);
        var signedAt = time.GetUtcNow().ToUnixTimeSeconds();
        var digest = new DnsWriter().Bytes(unsigned);
        Variables(digest, signedAt, error: 0);
        var mac = HMACSHA256.HashData(secret, digest.ToArray());
        var message = new DnsWriter().Bytes(unsigned)
            .Record(KeyName, DnsCodes.Tsig, DnsCodes.ClassAny, 0, w => w.Name(Algorithm).U48(signedAt).U16(Fudge).U16(mac.Length).Bytes(mac).U16(id).U16(0).U16(0))
            .ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(10), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(10)) + 1));
        return (message, mac);
    }

    /// <summary>
    /// Checks the answers to a request signed with <paramref name="requestMac"/>: the first must be signed; later ones
    /// may be unsigned between signed ones (covered by the next signature). Throws with the server's TSIG error when
    /// the server refused our signature, or when an answer's signature is not from this key.
    /// </summary>
    public void Verify(IReadOnlyList<DnsMessage> answers, byte[] requestMac)
    {
        var prior = requestMac;
        var pending = new DnsWriter();
        for (var i = 0; i < answers.Count; i++)
        {
            var answer = answers[i];
            var tsig = answer.Records.LastOrDefault() is { Type: DnsCodes.Tsig } last && answer.Counts[3] > 0 ? last : null;
            if (tsig is null)
            {
                if (i == 0)
                {
                    throw new DnsProtocolException($"The server's answer ({DnsCodes.Rcode(answer.Rcode)}) is not signed; it did not accept key '{KeyName}'.");
                }

                pending.Bytes(answer.Bytes);
                continue;
            }

            var fields = ReadTsig(tsig);
            if (fields.Error != 0)
            {
                throw new DnsProtocolException($"The server refused the signature with key '{KeyName}': {DnsCodes.Rcode(fields.Error)} ({DnsCodes.Rcode(answer.Rcode)}).");
            }

            var withoutTsig = answer.Bytes.AsSpan(0, tsig.RecordStart).ToArray();
            BinaryPrimitives.WriteUInt16BigEndian(withoutTsig, fields.OriginalId);
            BinaryPrimitives.WriteUInt16BigEndian(withoutTsig.AsSpan(10), (ushort)(answer.Counts[3] - 1));
            var digest = new DnsWriter().U16(prior.Length).Bytes(prior).Bytes(pending.ToArray()).Bytes(withoutTsig);
            if (i == 0)
            {
                Variables(digest, fields.SignedAt, fields.Error, fields.Other);
            }
            else
            {
                digest.U48(fields.SignedAt).U16(fields.Fudge);
            }

            if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(secret, digest.ToArray()), fields.Mac))
            {
                throw new DnsProtocolException($"An answer's TSIG signature does not verify with key '{KeyName}'; it was not sent by a server holding the key.");
            }

            if (Math.Abs(time.GetUtcNow().ToUnixTimeSeconds() - fields.SignedAt) > fields.Fudge)
            {
                throw new DnsProtocolException("An answer's TSIG time is outside its fudge; check both clocks.");
            }

            prior = fields.Mac;
            pending = new DnsWriter();
        }

        if (pending.Length > 0)
        {
            throw new DnsProtocolException("The last answer of the transfer is not signed.");
        }
    }

    /// <summary>The TSIG variables (RFC 8945 §4.3.3) in canonical form.</summary>
    private void Variables(DnsWriter digest, long signedAt, int error, byte[]? other = null) =>
        digest.Name(KeyName).U16(DnsCodes.ClassAny).U32(0).Name(Algorithm).U48(signedAt).U16(Fudge).U16(error).U16(other?.Length ?? 0).Bytes(other ?? []);

    private static TsigFields ReadTsig(DnsRecord record)
    {
        var bytes = record.Rdata.ToArray();
        var at = 0;
        DnsMessage.ReadName(bytes, ref at);
        var signedAt = ((long)BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at)) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 2));
        var fudge = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 6));
        var macLength = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 8));
        var mac = bytes.AsSpan(at + 10, macLength).ToArray();
        at += 10 + macLength;
        var originalId = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at));
        var error = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2));
        var otherLength = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 4));
        return new TsigFields(signedAt, fudge, mac, originalId, error, bytes.AsSpan(at + 6, otherLength).ToArray());
    }

    private sealed record TsigFields(long SignedAt, ushort Fudge, byte[] Mac, ushort OriginalId, ushort Error, byte[] Other);
}

/// <summary>The DNS server refused a request or answered with something we cannot trust.</summary>
internal sealed class DnsProtocolException(string message) : Exception(message);
