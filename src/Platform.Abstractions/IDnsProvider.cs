namespace DevPlatform.Abstractions;

/// <summary>
/// Where the platform's DNS records live (RFC 2136 dynamic updates, Route53). Chosen by <c>Dns:Provider</c>. The
/// reconcile job lists the zone, works out what to change from the ownership TXT records, and applies one batch.
/// </summary>
public interface IDnsProvider : INamedStrategy
{
    /// <summary>The zone's A, AAAA, CNAME and TXT record sets (names lower-case, without the trailing dot).</summary>
    Task<IReadOnlyList<DnsRecordSet>> ListAsync(string zone, CancellationToken cancellationToken);

    /// <summary>Applies the changes as one batch where the provider can (one UPDATE message, one change batch).</summary>
    /// <exception cref="DnsProviderException">The server refused or could not be reached; the message says why.</exception>
    Task ApplyAsync(string zone, IReadOnlyList<DnsChange> changes, CancellationToken cancellationToken);
}

/// <param name="Name">Fully qualified, lower-case, no trailing dot (<c>hub.example.org</c>).</param>
/// <param name="Type">A, AAAA, CNAME or TXT.</param>
/// <param name="Values">Addresses, a target name, or TXT strings (unquoted).</param>
public sealed record DnsRecordSet(string Name, string Type, int Ttl, IReadOnlyList<string> Values)
{
    public bool SameAs(DnsRecordSet other) =>
        Ttl == other.Ttl && Values.Order(StringComparer.Ordinal).SequenceEqual(other.Values.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    public override string ToString() => $"{Name} {Type} {string.Join(" ", Values)}";
}

public enum DnsChangeAction
{
    /// <summary>Creates the record set or replaces its values.</summary>
    Upsert,

    /// <summary>Removes the record set (as it currently is).</summary>
    Delete,
}

public sealed record DnsChange(DnsChangeAction Action, DnsRecordSet Records);

/// <summary>A DNS provider refused a change or could not be reached.</summary>
public sealed class DnsProviderException(string message, Exception? inner = null) : Exception(message, inner);
