using System.Globalization;
using System.Runtime;

namespace DevPlatform.Bench;

/// <summary>
/// Where the host's memory is, from inside the process that runs it: resident set (the kernel's figure), the managed
/// heap GC last saw and what it holds committed, then the same after a full compacting collection (what stays live).
/// </summary>
internal static class HostMemory
{
    public static string Describe(string moment)
    {
        var before = Snapshot();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var after = Snapshot();
        return string.Create(CultureInfo.InvariantCulture,
            $"host memory {moment} ({(GCSettings.IsServerGC ? "server" : "workstation")} GC, {Environment.ProcessorCount} cores): {before}; after a full GC: {after}");
    }

    private static string Snapshot()
    {
        var info = GC.GetGCMemoryInfo();
        return string.Create(CultureInfo.InvariantCulture,
            $"RSS {Mib(Environment.WorkingSet)} MiB, managed heap {Mib(info.HeapSizeBytes)} MiB ({Mib(GC.GetTotalMemory(false))} MiB reachable or not yet collected), " +
            $"GC committed {Mib(info.TotalCommittedBytes)} MiB, fragmented {Mib(info.FragmentedBytes)} MiB");
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
}
