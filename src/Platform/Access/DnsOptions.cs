using System.Net;
using System.Net.Sockets;

namespace DevPlatform.Access;

/// <summary>Configuration section <c>Dns</c>: the zone, the records the platform keeps in it, and which provider holds it.</summary>
internal sealed class DnsOptions
{
    public const string Section = "Dns";

    /// <summary><c>rfc2136</c>, <c>route53</c>, or empty for no DNS management.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The zone the records live in (e.g. <c>example.org</c>); every record name must be in it.</summary>
    public string Zone { get; set; } = "";

    /// <summary>Who owns the records (external-dns's txt-owner-id): two platforms sharing a zone must differ.</summary>
    public string Owner { get; set; } = "default";

    public int Ttl { get; set; } = 300;

    /// <summary>The platform's own records, e.g. the hub (<c>hub.example.org A 203.0.113.10</c>) and the SFTP host.</summary>
    public List<DnsRecordOptions> Records { get; set; } = [];

    /// <summary>Optionally one record per environment.</summary>
    public EnvironmentRecordOptions Environments { get; set; } = new();

    public sealed class DnsRecordOptions
    {
        public string Name { get; set; } = "";

        /// <summary>A, AAAA or CNAME.</summary>
        public string Type { get; set; } = "A";

        public string Value { get; set; } = "";
    }

    public sealed class EnvironmentRecordOptions
    {
        public bool Enabled { get; set; }

        /// <summary>The record name; <c>{environment}</c> and <c>{user}</c> are replaced.</summary>
        public string NameTemplate { get; set; } = "{environment}-{user}.envs.{zone}";

        /// <summary>A CNAME to this name (usually the hub's), which routes the environment's requests.</summary>
        public string Target { get; set; } = "";
    }

    /// <summary>What is wrong with the settings, as "Dns:Records:0:Value '…' is not an IPv4 address".</summary>
    public IEnumerable<string> Problems()
    {
        var zone = Zone.TrimEnd('.').ToLowerInvariant();
        if (zone.Length == 0)
        {
            yield return "Dns:Zone is empty; name the zone the records live in (e.g. example.org).";
            yield break;
        }

        for (var i = 0; i < Records.Count; i++)
        {
            var record = Records[i];
            var name = record.Name.TrimEnd('.').ToLowerInvariant();
            if (name != zone && !name.EndsWith("." + zone, StringComparison.Ordinal))
            {
                yield return $"Dns:Records:{i}:Name '{record.Name}' is not in zone {zone}.";
            }

            var ok = record.Type switch
            {
                "A" => IPAddress.TryParse(record.Value, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork,
                "AAAA" => IPAddress.TryParse(record.Value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6,
                "CNAME" => record.Value.Length > 0 && Uri.CheckHostName(record.Value.TrimEnd('.')) == UriHostNameType.Dns,
                _ => false,
            };
            if (!ok)
            {
                yield return $"Dns:Records:{i} '{record.Type} {record.Value}' is not an A (IPv4), AAAA (IPv6) or CNAME (host name) record.";
            }
        }

        if (Environments.Enabled && Uri.CheckHostName(Environments.Target.TrimEnd('.')) != UriHostNameType.Dns)
        {
            yield return "Dns:Environments:Target must be a host name (usually the hub's) for the environments' CNAME records.";
        }

        if (Ttl is < 30 or > 86400)
        {
            yield return $"Dns:Ttl {Ttl} is outside 30–86400 seconds.";
        }
    }
}
