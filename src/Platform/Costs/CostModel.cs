using System.Globalization;
using System.Text.Json;
using DevPlatform.Abstractions;
using DevPlatform.Catalog;
using DevPlatform.Strategies;

namespace DevPlatform.Costs;

/// <summary>
/// An environment's hourly cost: the share of the node it would fill — the largest of its CPU request over the
/// node's vCPUs, its memory request over the node's memory, and its accelerators over the node's (whole GPUs, MIG
/// slices, time-sliced replicas, Neuron units, as the pool's kind counts them) — times the node's price on the
/// capacity type the pool buys (spot or on-demand). The node's size and prices come from the price file when the
/// pool names an instance type; otherwise the pool's own prices apply to a whole node.
/// </summary>
internal sealed class CostModel(PriceList prices, NamedStrategies<IAcceleratorKind> kinds)
{
    private const decimal GiB = 1024m * 1024 * 1024;

    public CostRate RateOf(ComputePool pool, EnvironmentResources resources)
    {
        var spot = pool.CapacityType == CapacityType.Spot;
        var instance = prices.Find(pool.InstanceType);
        if (instance is null)
        {
            var own = spot ? pool.SpotHourlyPrice ?? pool.OnDemandHourlyPrice : pool.OnDemandHourlyPrice;
            return new CostRate(own, 1m, own, $"a whole node of pool '{pool.Name}' at {Money(own)}/h {Capacity(spot)}; the pool names no instance type to take a share of");
        }

        var price = spot ? instance.Spot ?? pool.SpotHourlyPrice ?? instance.OnDemand : instance.OnDemand;
        var shares = new List<(decimal Share, string What)>
        {
            (resources.CpuRequest / instance.Vcpu, "CPU"),
            (resources.MemoryRequest / (instance.MemoryGiB * GiB), "memory"),
        };
        if (resources.Accelerators > 0 && kinds.Find(pool.AcceleratorKind) is { } kind)
        {
            using var configuration = JsonDocument.Parse(pool.Configuration);
            if (kind.AcceleratorsPerNode(configuration.RootElement) is > 0 and var perNode)
            {
                shares.Add(((decimal)resources.Accelerators / perNode, "accelerators"));
            }
        }

        var (share, by) = shares.MaxBy(s => s.Share);
        share = Math.Min(1m, decimal.Round(share, 6));
        return new CostRate(decimal.Round(price * share, 6), share, price,
            $"{share.ToString("0.####", CultureInfo.InvariantCulture)} of a {pool.InstanceType}, by {by}, at {Money(price)}/h {Capacity(spot)}");
    }

    private static string Money(decimal amount) => amount.ToString("$0.####", CultureInfo.InvariantCulture);

    private static string Capacity(bool spot) => spot ? "spot" : "on-demand";
}
