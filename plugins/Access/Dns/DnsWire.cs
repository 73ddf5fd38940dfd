using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace DevPlatform.Plugins.Access.Dns;

/// <summary>Record types, classes and codes of RFC 1035, RFC 2136 and RFC 8945 that the platform uses.</summary>
internal static class DnsCodes
{
    public const ushort A = 1, Cname = 5, Soa = 6, Txt = 16, Aaaa = 28, Tsig = 250, Axfr = 252;
    public const ushort ClassIn = 1, ClassNone = 254, ClassAny = 255;
    public const int OpcodeQuery = 0, OpcodeUpdate = 5;

    public static ushort TypeOf(string type) => type switch
    {
        "A" => A, "AAAA" => Aaaa, "CNAME" => Cname, "TXT" => Txt,
        _ => throw new ArgumentException($"Record type '{type}' is not one the platform manages (A, AAAA, CNAME, TXT).", nameof(type)),
    };

    public static string? NameOf(ushort type) => type switch { A => "A", Aaaa => "AAAA", Cname => "CNAME", Txt => "TXT", _ => null };

    /// <summary>RCODEs (RFC 1035, 2136) and TSIG errors (RFC 8945) as the RFCs name them.</summary>
    public static string Rcode(int code) => code switch
    {
        0 => "NOERROR", 1 => "FORMERR", 2 => "SERVFAIL", 3 => "NXDOMAIN", 4 => "NOTIMP", 5 => "REFUSED", 6 => "YXDOMAIN", 7 => "YXRRSET",
        8 => "NXRRSET", 9 => "NOTAUTH", 10 => "NOTZONE", 16 => "BADSIG", 17 => "BADKEY", 18 => "BADTIME", 22 => "BADTRUNC", _ => $"RCODE {code}",
    };
}

/// <summary>Writes a DNS message: big-endian integers and uncompressed names (RFC 1035 §3.1, §4.1).</summary>
internal sealed class DnsWriter
{
    private readonly List<byte> buffer = [];

    public int Length => buffer.Count;

    public byte[] ToArray() => [.. buffer];

    public DnsWriter U8(int value)
    {
        buffer.Add((byte)value);
        return this;
    }

    public DnsWriter U16(int value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)value);
        return Bytes(bytes);
    }

    public DnsWriter U32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return Bytes(bytes);
    }

    /// <summary>48-bit seconds since the epoch (the TSIG Time Signed field).</summary>
    public DnsWriter U48(long value) => U16((int)(value >> 32)).U32((uint)value);

    public DnsWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        buffer.AddRange(bytes);
        return this;
    }

    /// <summary>A domain name in canonical form: lower-case labels, no compression, the root label last.</summary>
    public DnsWriter Name(string name)
    {
        var trimmed = name.TrimEnd('.');
        if (trimmed.Length > 0)
        {
            foreach (var label in trimmed.Split('.'))
            {
                var bytes = Encoding.ASCII.GetBytes(label.ToLowerInvariant());
                if (bytes.Length is 0 or > 63)
                {
                    throw new ArgumentException($"'{name}' has an empty label or one longer than 63 characters.", nameof(name));
                }

                U8(bytes.Length).Bytes(bytes);
            }
        }

        return U8(0);
    }

    /// <summary>A resource record; <paramref name="rdata"/> writes its RDATA, whose length is filled in afterwards.</summary>
    public DnsWriter Record(string name, ushort type, ushort @class, uint ttl, Action<DnsWriter>? rdata)
    {
        Name(name).U16(type).U16(@class).U32(ttl);
        var lengthAt = Length;
        U16(0);
        rdata?.Invoke(this);
        var length = Length - lengthAt - 2;
        buffer[lengthAt] = (byte)(length >> 8);
        buffer[lengthAt + 1] = (byte)length;
        return this;
    }

    /// <summary>The RDATA of an A, AAAA, CNAME or TXT record from its presentation value.</summary>
    public static Action<DnsWriter> Rdata(string type, string value) => type switch
    {
        "A" or "AAAA" => w => w.Bytes(IPAddress.Parse(value).GetAddressBytes()),
        "CNAME" => w => w.Name(value),
        _ => w =>
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            for (var at = 0; at < bytes.Length || at == 0; at += 255)
            {
                var chunk = bytes.AsSpan(at, Math.Min(255, bytes.Length - at));
                w.U8(chunk.Length).Bytes(chunk);
            }
        },
    };
}

/// <summary>One resource record as read; <see cref="RecordStart"/> is its offset in the message (TSIG verification needs it).</summary>
internal sealed record DnsRecord(string Name, ushort Type, ushort Class, uint Ttl, ReadOnlyMemory<byte> Rdata, string? Value, int RecordStart);

/// <summary>A received DNS message: header, and the records of every section in order (compressed names followed).</summary>
internal sealed class DnsMessage
{
    private DnsMessage(byte[] bytes) => Bytes = bytes;

    public byte[] Bytes { get; }

    public ushort Id { get; private init; }

    public ushort Flags { get; private init; }

    public int Rcode => Flags & 0xF;

    public ushort[] Counts { get; private init; } = [];

    /// <summary>The answer, authority and additional records (questions and the zone section are skipped).</summary>
    public List<DnsRecord> Records { get; } = [];

    public static DnsMessage Parse(byte[] bytes)
    {
        if (bytes.Length < 12)
        {
            throw new FormatException("A DNS message is at least 12 bytes.");
        }

        var counts = Enumerable.Range(0, 4).Select(i => BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(4 + (2 * i)))).ToArray();
        var message = new DnsMessage(bytes) { Id = BinaryPrimitives.ReadUInt16BigEndian(bytes), Flags = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(2)), Counts = counts };
        var at = 12;
        for (var q = 0; q < counts[0]; q++)
        {
            ReadName(bytes, ref at);
            at += 4;
        }

        for (var r = 0; r < counts[1] + counts[2] + counts[3]; r++)
        {
            var start = at;
            var name = ReadName(bytes, ref at);
            var type = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at));
            var @class = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2));
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 4));
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 8));
            at += 10;
            if (at + length > bytes.Length)
            {
                throw new FormatException("A record's RDATA runs past the end of the message.");
            }

            message.Records.Add(new DnsRecord(name, type, @class, ttl, bytes.AsMemory(at, length), Present(bytes, at, length, type), start));
            at += length;
        }

        return message;
    }

    /// <summary>A name at <paramref name="at"/>, following compression pointers (RFC 1035 §4.1.4); lower-case, no trailing dot.</summary>
    public static string ReadName(byte[] bytes, ref int at)
    {
        var labels = new List<string>();
        var position = at;
        var jumped = false;
        for (var hops = 0; ; hops++)
        {
            if (hops > 127 || position >= bytes.Length)
            {
                throw new FormatException("A name in the message loops or runs past its end.");
            }

            var length = bytes[position];
            if ((length & 0xC0) == 0xC0)
            {
                if (!jumped)
                {
                    at = position + 2;
                }

                position = ((length & 0x3F) << 8) | bytes[position + 1];
                jumped = true;
                continue;
            }

            if (length == 0)
            {
                if (!jumped)
                {
                    at = position + 1;
                }

                return string.Join('.', labels).ToLowerInvariant();
            }

            labels.Add(Encoding.ASCII.GetString(bytes, position + 1, length));
            position += 1 + length;
        }
    }

    private static string? Present(byte[] bytes, int at, int length, ushort type)
    {
        switch (type)
        {
            case DnsCodes.A when length == 4:
            case DnsCodes.Aaaa when length == 16:
                return new IPAddress(bytes.AsSpan(at, length)).ToString();
            case DnsCodes.Cname:
                var position = at;
                return ReadName(bytes, ref position);
            case DnsCodes.Txt:
                var text = new StringBuilder();
                for (var p = at; p < at + length; p += 1 + bytes[p])
                {
                    text.Append(Encoding.UTF8.GetString(bytes, p + 1, bytes[p]));
                }

                return text.ToString();
            default:
                return null;
        }
    }
}
