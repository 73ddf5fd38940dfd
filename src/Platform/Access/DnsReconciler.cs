using DevPlatform.Abstractions;
using DevPlatform.Persistence;
using DevPlatform.Strategies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DevPlatform.Access;

/// <summary>
/// Keeps the platform's DNS records in step (external-dns's TXT registry): every record the platform owns has a TXT
/// record <c>_devplatform-owner.{name}</c> saying <c>heritage=devplatform,devplatform/owner={Dns:Owner}</c>. Records
/// at a name without that marker are never changed; owned records no longer wanted are deleted with their marker.
/// </summary>
internal sealed class DnsReconciler(PlatformDbContext db, IOptions<DnsOptions> options, NamedStrategies<IDnsProvider> providers)
{
    public const string OwnerPrefix = "_devplatform-owner.";
    private static readonly HashSet<string> ManagedTypes = new(StringComparer.Ordinal) { "A", "AAAA", "CNAME" };

    public sealed record DnsPlan(
        string Zone, IReadOnlyList<DnsRecordSet> Desired, IReadOnlyList<DnsChange> Changes, IReadOnlyList<string> LeftAlone, int Created, int Updated, int Deleted, int Unchanged)
    {
        public override string ToString() =>
            $"zone {Zone}: created {Created}, updated {Updated}, deleted {Deleted}, unchanged {Unchanged}" +
            (LeftAlone.Count > 0 ? $"; left alone (not ours): {string.Join("; ", LeftAlone)}" : "");
    }

    public IDnsProvider? Provider => providers.Find(options.Value.Provider);

    /// <summary>What the provider holds against what the platform wants: the changes one reconcile would make.</summary>
    public async Task<DnsPlan> PlanAsync(IDnsProvider provider, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var zone = settings.Zone.TrimEnd('.').ToLowerInvariant();
        var desired = await DesiredAsync(settings, zone, cancellationToken);
        var current = await provider.ListAsync(zone, cancellationToken);
        var marker = $"heritage=devplatform,devplatform/owner={settings.Owner}";
        var markers = current.Where(r => r.Type == "TXT" && r.Name.StartsWith(OwnerPrefix, StringComparison.Ordinal)).ToDictionary(r => r.Name[OwnerPrefix.Length..], StringComparer.Ordinal);
        var owned = markers.Where(m => m.Value.Values.Contains(marker, StringComparer.Ordinal)).Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        var changes = new List<DnsChange>();
        var left = new List<string>();
        int created = 0, updated = 0, deleted = 0, unchanged = 0;
        foreach (var want in desired)
        {
            var present = current.Where(r => r.Name == want.Name && ManagedTypes.Contains(r.Type)).ToList();
            if (!owned.Contains(want.Name) && (present.Count > 0 || markers.ContainsKey(want.Name)))
            {
                left.Add($"{want.Name} ({string.Join(", ", present.Select(p => p.Type).DefaultIfEmpty("owner marker"))} of someone else)");
                continue;
            }

            changes.AddRange(present.Where(p => p.Type != want.Type).Select(p => new DnsChange(DnsChangeAction.Delete, p)));
            var same = present.FirstOrDefault(p => p.Type == want.Type);
            if (same is not null && same.SameAs(want))
            {
                unchanged++;
            }
            else
            {
                changes.Add(new DnsChange(DnsChangeAction.Upsert, want));
                if (present.Count == 0)
                {
                    created++;
                }
                else
                {
                    updated++;
                }
            }

            if (!owned.Contains(want.Name))
            {
                changes.Add(new DnsChange(DnsChangeAction.Upsert, new DnsRecordSet(OwnerPrefix + want.Name, "TXT", settings.Ttl, [marker])));
            }
        }

        foreach (var name in owned.Where(n => desired.All(d => d.Name != n)).Order(StringComparer.Ordinal))
        {
            changes.AddRange(current.Where(r => r.Name == name && ManagedTypes.Contains(r.Type)).Select(r => new DnsChange(DnsChangeAction.Delete, r)));
            changes.Add(new DnsChange(DnsChangeAction.Delete, markers[name]));
            deleted++;
        }

        return new DnsPlan(zone, desired, changes, left, created, updated, deleted, unchanged);
    }

    /// <summary>One reconcile: plan, then apply the changes as one batch.</summary>
    public async Task<DnsPlan> ReconcileAsync(IDnsProvider provider, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(provider, cancellationToken);
        await provider.ApplyAsync(plan.Zone, plan.Changes, cancellationToken);
        return plan;
    }

    private async Task<List<DnsRecordSet>> DesiredAsync(DnsOptions settings, string zone, CancellationToken cancellationToken)
    {
        var records = settings.Records
            .Select(r => new DnsRecordSet(r.Name.TrimEnd('.').ToLowerInvariant(), r.Type, settings.Ttl, [r.Type == "CNAME" ? r.Value.TrimEnd('.').ToLowerInvariant() : r.Value]))
            .ToList();
        if (settings.Environments.Enabled)
        {
            var environments = await db.Environments.AsNoTracking().Select(e => new { e.Name, User = e.User.Name }).ToListAsync(cancellationToken);
            records.AddRange(environments.Select(e => new DnsRecordSet(
                settings.Environments.NameTemplate.Replace("{environment}", e.Name, StringComparison.Ordinal).Replace("{user}", e.User, StringComparison.Ordinal)
                    .Replace("{zone}", zone, StringComparison.Ordinal).ToLowerInvariant(),
                "CNAME", settings.Ttl, [settings.Environments.Target.TrimEnd('.').ToLowerInvariant()])));
        }

        return records.DistinctBy(r => r.Name, StringComparer.Ordinal).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }
}
