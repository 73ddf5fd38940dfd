using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace DevPlatform.Compute.Local;

/// <summary>
/// The inodes of the TCP sockets listening on a port (IPv4 or IPv6, any address), asked of the kernel's socket
/// diagnostics (netlink <c>NETLINK_SOCK_DIAG</c>, what <c>ss -ltn</c> reads) for listening sockets only. <c>/proc/net/tcp</c>
/// lists every TCP socket of the host — thousands on a hub whose proxy is busy, 2–4 ms to read at a few hundred — and is
/// read only where netlink is not allowed.
/// </summary>
internal static partial class ListeningSockets
{
    private const int AfNetlink = 16;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;
    private const int NetlinkSockDiag = 4;
    private const ushort SockDiagByFamily = 20;
    private const ushort NlmsgError = 2;
    private const ushort NlmsgDone = 3;
    private const ushort RequestDump = 0x1 | 0x300; // NLM_F_REQUEST | NLM_F_DUMP
    private const int TcpListen = 10;
    private const int HeaderLength = 16; // struct nlmsghdr
    private const int RequestLength = HeaderLength + 56; // + struct inet_diag_req_v2
    private const int SportOffset = 4; // in struct inet_diag_msg: family, state, timer, retrans, then inet_diag_sockid (sport first, big-endian)
    private const int InodeOffset = 68; // after the 48-byte sockid and expires, rqueue, wqueue, uid
    private static readonly byte[] Families = [2, 10]; // AF_INET, AF_INET6
    private static readonly string[] ProcTables = ["/proc/net/tcp", "/proc/net/tcp6"];

    public static IReadOnlyList<long> On(int port) => FromNetlink(port) ?? FromProcNet(port);

    internal static List<long>? FromNetlink(int port)
    {
        var socket = Socket(AfNetlink, SockDgram | SockCloexec, NetlinkSockDiag);
        if (socket < 0)
        {
            return null;
        }

        try
        {
            var inodes = new List<long>();
            foreach (var family in Families)
            {
                if (!Dump(socket, family, port, inodes))
                {
                    return null;
                }
            }

            return inodes;
        }
        finally
        {
            _ = Close(socket);
        }
    }

    /// <summary>One dump of a family's listening TCP sockets, read to its end; false when the kernel refused it.</summary>
    private static bool Dump(int socket, byte family, int port, List<long> inodes)
    {
        Span<byte> request = stackalloc byte[RequestLength];
        request.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(request, RequestLength);
        BinaryPrimitives.WriteUInt16LittleEndian(request[4..], SockDiagByFamily);
        BinaryPrimitives.WriteUInt16LittleEndian(request[6..], RequestDump);
        BinaryPrimitives.WriteUInt32LittleEndian(request[8..], 1); // sequence
        request[HeaderLength] = family;
        request[HeaderLength + 1] = 6; // IPPROTO_TCP
        BinaryPrimitives.WriteUInt32LittleEndian(request[(HeaderLength + 4)..], 1u << TcpListen);
        if (Send(socket, ref MemoryMarshal.GetReference(request), (nuint)request.Length, 0) != request.Length)
        {
            return false;
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(32 * 1024); // a probe asks every few milliseconds per start
        try
        {
            return Read(socket, buffer, port, inodes);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The dump's replies, message by message, until NLMSG_DONE; the inodes of those on <paramref name="port"/> are added.</summary>
    private static bool Read(int socket, byte[] buffer, int port, List<long> inodes)
    {
        while (true)
        {
            var received = (int)Receive(socket, ref MemoryMarshal.GetArrayDataReference(buffer), (nuint)buffer.Length, 0);
            if (received <= 0)
            {
                return false;
            }

            for (var at = 0; at + HeaderLength <= received;)
            {
                var message = buffer.AsSpan(at);
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(message);
                var type = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
                if (type == NlmsgDone)
                {
                    return true;
                }

                if (type == NlmsgError || length < HeaderLength || at + length > received)
                {
                    return false;
                }

                var body = message[HeaderLength..length];
                if (type == SockDiagByFamily && body.Length >= InodeOffset + 4 && BinaryPrimitives.ReadUInt16BigEndian(body[SportOffset..]) == port)
                {
                    inodes.Add(BinaryPrimitives.ReadUInt32LittleEndian(body[InodeOffset..]));
                }

                at += (length + 3) & ~3; // NLMSG_ALIGN
            }
        }
    }

    /// <summary>"sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...": address "HEX:PORT", state 0A = LISTEN.</summary>
    internal static List<long> FromProcNet(int port)
    {
        var inodes = new List<long>();
        foreach (var table in ProcTables.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1];
                if (fields[3] == "0A" && int.Parse(local[(local.IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add(long.Parse(fields[9], CultureInfo.InvariantCulture));
                }
            }
        }

        return inodes;
    }

    [LibraryImport("libc", EntryPoint = "socket")]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "send")]
    private static partial nint Send(int socket, ref byte buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv")]
    private static partial nint Receive(int socket, ref byte buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
