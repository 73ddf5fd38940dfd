using System.Globalization;

namespace DevPlatform.Bench;

/// <summary>
/// CPU time the whole machine spent busy (every core: user, nice, system, irq, softirq, steal — not idle or iowait), from
/// /proc/stat: what a phase cost the host, PostgreSQL, the workloads and the kernel together.
/// </summary>
internal static class MachineCpu
{
    private const double TicksPerSecond = 100; // USER_HZ

    public static TimeSpan Busy()
    {
        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7];
        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }
}
