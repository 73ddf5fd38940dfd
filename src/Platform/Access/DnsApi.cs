using DevPlatform.Abstractions;
using DevPlatform.Api;
using DevPlatform.Audit;
using DevPlatform.Validation;

namespace DevPlatform.Access;

/// <summary>Admins see what the DNS reconcile would change, and run it now.</summary>
internal static class DnsApi
{
    public sealed record DnsChangeView(string Action, string Name, string Type, int Ttl, IReadOnlyList<string> Values);

    public sealed record DnsPlanView(
        string Provider, string Zone, IReadOnlyList<DnsRecordSet> Desired, IReadOnlyList<DnsChangeView> Changes, IReadOnlyList<string> LeftAlone, string Summary, bool Applied);

    public static RouteGroupBuilder MapDnsApi(this RouteGroupBuilder admin)
    {
        var dns = admin.MapGroup("/dns").WithTags("DNS");
        dns.MapGet("/", async (DnsReconciler reconciler, CancellationToken ct) => View(Selected(reconciler), await Run(() => reconciler.PlanAsync(Selected(reconciler), ct)), applied: false))
            .WithName("PlanDns").WithSummary("The records the platform wants, and the changes a reconcile would make (nothing is changed).");
        dns.MapPost("/reconcile", async (DnsReconciler reconciler, AuditLog audit, HttpContext http, CancellationToken ct) =>
        {
            var provider = Selected(reconciler);
            var plan = await Run(() => reconciler.ReconcileAsync(provider, ct));
            audit.Record(Actor.Of(http.User), "reconcile", "dns", plan.Zone, null, new { summary = plan.ToString() });
            await http.RequestServices.GetRequiredService<Persistence.PlatformDbContext>().SaveChangesAsync(ct);
            return View(provider, plan, applied: true);
        }).WithName("ReconcileDns").WithSummary("Applies the plan now (the dns-reconcile job does this every 5 minutes).");
        return admin;
    }

    private static IDnsProvider Selected(DnsReconciler reconciler) =>
        reconciler.Provider ?? throw new ResourceConflictException("DNS management is off: set Dns:Provider (rfc2136 or route53), Dns:Zone and Dns:Records.");

    /// <summary>A provider that refuses or cannot be reached is the upstream's failure: 502 with its reason.</summary>
    private static async Task<DnsReconciler.DnsPlan> Run(Func<Task<DnsReconciler.DnsPlan>> work)
    {
        try
        {
            return await work();
        }
        catch (DnsProviderException e)
        {
            throw new ApiProblemException(502, "The DNS provider refused or could not be reached.", e.Message);
        }
    }

    private static DnsPlanView View(IDnsProvider provider, DnsReconciler.DnsPlan plan, bool applied) => new(
        provider.Name, plan.Zone, plan.Desired,
        plan.Changes.Select(c => new DnsChangeView(c.Action == DnsChangeAction.Upsert ? "upsert" : "delete", c.Records.Name, c.Records.Type, c.Records.Ttl, c.Records.Values)).ToList(),
        plan.LeftAlone, plan.ToString(), applied);
}
