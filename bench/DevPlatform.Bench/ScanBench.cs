using System.Diagnostics;
using System.Globalization;
using DevPlatform.Abstractions;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Strategies;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.Bench;

/// <summary>
/// The storage scan of one home holding 200,000 files (400 directories of 500 small files, some hard links and
/// symlinks): wall time, and the managed heap's growth above its level before the scan (sampled every 5 ms) plus
/// total allocations. The tree is built once, then scanned five times.
/// </summary>
internal static class ScanBench
{
    public static async Task RunAsync(PlatformFactory host)
    {
        var storage = host.Services.GetRequiredService<NamedStrategies<IStorageProvider>>().Find("local-disk")!;
        var home = storage.Ensure(StorageArea.Home("bench"));
        var build = Stopwatch.StartNew();
        for (var d = 0; d < 400; d++)
        {
            var directory = Directory.CreateDirectory(Path.Combine(home, $"d{d / 20}", $"e{d}")).FullName;
            for (var f = 0; f < 500; f++)
            {
                await File.WriteAllBytesAsync(Path.Combine(directory, $"f{f}.txt"), [(byte)f]);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built 200,000 files in {build.Elapsed.TotalSeconds:0.0} s"));
        var times = new List<double>();
        long peak = 0, allocated = 0;
        StorageScan? scan = null;
        for (var run = 0; run < 5; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                var max = 0L;
                while (!sampling.IsCancellationRequested)
                {
                    max = Math.Max(max, GC.GetTotalMemory(false) - baseline);
                    await Task.Delay(5, CancellationToken.None);
                }

                return max;
            });
            var clock = Stopwatch.StartNew();
            scan = await storage.ScanAsync(StorageArea.Home("bench"), TimeSpan.FromMinutes(5), CancellationToken.None);
            times.Add(clock.Elapsed.TotalMilliseconds);
            await sampling.CancelAsync();
            peak = Math.Max(peak, await sampler);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"storage scan of {scan!.Files:N0} files, {scan.Directories:N0} directories ({scan.Bytes / 1048576.0:0.0} MiB allocated on disk, complete: {scan.Complete}): {Percentiles.Describe(times)}; managed heap growth at most {peak / 1048576.0:0.0} MiB, {allocated / 1048576.0:0} MiB allocated per scan"));
        Directory.Delete(home, recursive: true);
    }
}
