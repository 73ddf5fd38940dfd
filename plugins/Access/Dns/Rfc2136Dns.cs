using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using DevPlatform.Abstractions;
using Microsoft.Extensions.Configuration;

namespace DevPlatform.Plugins.Access.Dns;

/// <summary>
/// Records on a primary DNS server that accepts dynamic updates (RFC 2136) signed with TSIG HMAC-SHA256 (RFC 8945):
/// BIND, Knot, PowerDNS. Lists the zone with a signed AXFR and applies each batch as one UPDATE message, over TCP.
/// Settings under <c>Dns:Rfc2136</c>: Server, Port (53), KeyName, KeySecret (base64, as <c>tsig-keygen</c> prints it).
/// </summary>
internal sealed class Rfc2136Dns(IConfiguration configuration, TimeProvider time) : IDnsProvider
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public string Name => "rfc2136";

    public async Task<IReadOnlyList<DnsRecordSet>> ListAsync(string zone, CancellationToken cancellationToken)
    {
        var query = Header(DnsCodes.OpcodeQuery, questions: 1).Name(zone).U16(DnsCodes.Axfr).U16(DnsCodes.ClassIn).ToArray();
        var answers = await ExchangeAsync(query, transfer: true, cancellationToken);
        if (answers[0].Rcode != 0)
        {
            throw new DnsProviderException($"The server refused to list zone {zone}: {DnsCodes.Rcode(answers[0].Rcode)} (allow-transfer must name key '{Settings().KeyName}').");
        }

        return answers.SelectMany(a => a.Records)
            .Where(r => r.Class == DnsCodes.ClassIn && DnsCodes.NameOf(r.Type) is not null && r.Value is not null)
            .GroupBy(r => (r.Name, r.Type))
            .Select(g => new DnsRecordSet(g.Key.Name, DnsCodes.NameOf(g.Key.Type)!, (int)g.First().Ttl, g.Select(r => r.Value!).Distinct().ToList()))
            .ToList();
    }

    public async Task ApplyAsync(string zone, IReadOnlyList<DnsChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        var update = Header(DnsCodes.OpcodeUpdate, questions: 1);
        var records = 0;
        update.Name(zone).U16(DnsCodes.Soa).U16(DnsCodes.ClassIn);
        foreach (var change in changes)
        {
            var set = change.Records;
            var type = DnsCodes.TypeOf(set.Type);
            update.Record(set.Name, type, DnsCodes.ClassAny, 0, null);
            records++;
            if (change.Action == DnsChangeAction.Upsert)
            {
                foreach (var value in set.Values)
                {
                    update.Record(set.Name, type, DnsCodes.ClassIn, (uint)set.Ttl, DnsWriter.Rdata(set.Type, value));
                    records++;
                }
            }
        }

        var message = update.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(8), (ushort)records);
        var answer = (await ExchangeAsync(message, transfer: false, cancellationToken))[0];
        if (answer.Rcode != 0)
        {
            throw new DnsProviderException($"The server refused the update of zone {zone}: {DnsCodes.Rcode(answer.Rcode)}.");
        }
    }

    /// <summary>A header with a random ID; section counts after the first are filled in by the caller.</summary>
    private static DnsWriter Header(int opcode, int questions) =>
        new DnsWriter().U16(RandomNumberGenerator.GetInt32(ushort.MaxValue + 1)).U16(opcode << 11).U16(questions).U16(0).U16(0).U16(0);

    /// <summary>Sends one signed message over TCP and reads the answer (a transfer: every message up to the closing SOA), verified.</summary>
    private async Task<IReadOnlyList<DnsMessage>> ExchangeAsync(byte[] unsigned, bool transfer, CancellationToken cancellationToken)
    {
        var settings = Settings();
        var tsig = new Tsig(settings.KeyName, settings.Secret, time);
        var (request, mac) = tsig.Sign(unsigned);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var answers = new List<DnsMessage>();
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(settings.Server, settings.Port, timeout.Token);
            var stream = client.GetStream();
            var framed = new byte[request.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)request.Length);
            request.CopyTo(framed, 2);
            await stream.WriteAsync(framed, timeout.Token);
            var soaSeen = 0;
            do
            {
                var length = new byte[2];
                await stream.ReadExactlyAsync(length, timeout.Token);
                var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
                await stream.ReadExactlyAsync(body, timeout.Token);
                var answer = DnsMessage.Parse(body);
                answers.Add(answer);
                soaSeen += answer.Records.Count(r => r.Type == DnsCodes.Soa);
                if (answer.Rcode != 0)
                {
                    break;
                }
            }
            while (transfer && soaSeen < 2);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DnsProviderException($"The DNS server {settings.Server}:{settings.Port} could not be reached or did not answer in {Timeout.TotalSeconds:0} s: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new DnsProviderException($"The DNS server {settings.Server}:{settings.Port} sent a malformed answer: {e.Message}", e);
        }

        try
        {
            tsig.Verify(answers, mac);
        }
        catch (DnsProtocolException e)
        {
            throw new DnsProviderException(e.Message, e);
        }

        return answers;
    }

    private (string Server, int Port, string KeyName, byte[] Secret) Settings()
    {
        var section = configuration.GetSection("Dns:Rfc2136");
        var server = section["Server"];
        var keyName = section["KeyName"];
        var secret = section["KeySecret"];
        if (string.IsNullOrWhiteSpace(server) || string.IsNullOrWhiteSpace(keyName) || string.IsNullOrWhiteSpace(secret))
        {
            throw new DnsProviderException("Dns:Provider 'rfc2136' needs Dns:Rfc2136:Server, Dns:Rfc2136:KeyName and Dns:Rfc2136:KeySecret (the base64 secret tsig-keygen prints).");
        }

        try
        {
            return (server, int.TryParse(section["Port"], out var port) ? port : 53, keyName, Convert.FromBase64String(secret));
        }
        catch (FormatException)
        {
            throw new DnsProviderException("Dns:Rfc2136:KeySecret is not base64; copy the secret from the key file tsig-keygen wrote.");
        }
    }
}
