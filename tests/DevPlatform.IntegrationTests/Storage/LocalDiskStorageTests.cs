using System.Diagnostics;
using DevPlatform.Abstractions;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Strategies;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Storage;

/// <summary>The local-disk provider (loaded as a plugin) on real files: what a scan counts, and what a clean-up may touch.</summary>
public sealed class LocalDiskStorageTests : IAsyncLifetime
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("devplatform-storage-");
    private readonly DirectoryInfo outside = Directory.CreateTempSubdirectory("devplatform-outside-");
    private PlatformFactory host = null!;
    private IStorageProvider storage = null!;

    public async Task InitializeAsync()
    {
        host = await PlatformFactory.CreateAsync(new Dictionary<string, string?> { ["Storage:LocalDisk:Root"] = root.FullName });
        storage = host.Services.GetRequiredService<NamedStrategies<IStorageProvider>>().Find("local-disk")!;
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        root.Delete(recursive: true);
        outside.Delete(recursive: true);
    }

    [Fact]
    public async Task Scan_CountsAllocatedBytes_HardLinksOnce_NeverFollowsSymlinks()
    {
        var home = storage.Ensure(StorageArea.Home("ada"));
        Assert.Equal(Path.Combine(root.FullName, "homes", "ada"), home);
        var data = Directory.CreateDirectory(Path.Combine(home, "project", "data")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(data, "one-mib.bin"), RandomBytes(1 << 20));
        Link(Path.Combine(data, "one-mib.bin"), Path.Combine(home, "same-file.bin"));
        await using (var sparse = File.Create(Path.Combine(data, "sparse.img")))
        {
            await sparse.WriteAsync(RandomBytes(4096));
            sparse.SetLength(1L << 30); // 1 GiB long, 4 KiB allocated
        }

        await File.WriteAllBytesAsync(Path.Combine(outside.FullName, "big.bin"), RandomBytes(8 << 20));
        File.CreateSymbolicLink(Path.Combine(home, "big-elsewhere.bin"), Path.Combine(outside.FullName, "big.bin"));
        File.CreateSymbolicLink(Path.Combine(home, "elsewhere"), outside.FullName);

        var scan = await storage.ScanAsync(StorageArea.Home("ada"), TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.True(scan.Complete);
        Assert.Equal(5, scan.Files); // one-mib, its second name, sparse.img, two symlinks
        Assert.Equal(2, scan.Directories);
        Assert.InRange(scan.Bytes, 1 << 20, (1 << 20) + (256 << 10)); // the 1 MiB once, the sparse file's 4 KiB, links and directories: not 1 GiB, not 8 MiB more

        var cut = await storage.ScanAsync(StorageArea.Home("ada"), TimeSpan.Zero, CancellationToken.None);
        Assert.False(cut.Complete);
        Assert.True(cut.Bytes < scan.Bytes);
        Assert.Equal(new StorageScan(0, 0, 0, true, TimeSpan.Zero), (await storage.ScanAsync(StorageArea.Home("nobody"), TimeSpan.FromMinutes(1), default)) with { Took = TimeSpan.Zero });
    }

    [Fact]
    public async Task Clean_RemovesOnlyExpiredEntriesInside_DryRunChangesNothing_LinksOutAreNotFollowed()
    {
        var scratch = storage.Ensure(StorageArea.Scratch("lab"));
        var home = storage.Ensure(StorageArea.Home("ada"));
        var homeFile = Path.Combine(home, "thesis.tex");
        await File.WriteAllTextAsync(homeFile, "keep me");
        File.SetLastWriteTimeUtc(homeFile, DateTime.UtcNow.AddDays(-400));
        var old = Directory.CreateDirectory(Path.Combine(scratch, "run-1", "out")).FullName;
        await File.WriteAllTextAsync(Path.Combine(old, "result.csv"), "1,2,3");
        File.SetLastWriteTimeUtc(Path.Combine(old, "result.csv"), DateTime.UtcNow.AddDays(-40));
        await File.WriteAllTextAsync(Path.Combine(scratch, "fresh.csv"), "4,5,6");
        await File.WriteAllTextAsync(Path.Combine(scratch, "..evil"), "a name, not a path");
        File.SetLastWriteTimeUtc(Path.Combine(scratch, "..evil"), DateTime.UtcNow.AddDays(-40));
        File.CreateSymbolicLink(Path.Combine(scratch, "to-home"), home);
        foreach (var directory in new[] { old, Path.GetDirectoryName(old)! })
        {
            Directory.SetLastWriteTimeUtc(directory, DateTime.UtcNow.AddDays(-40));
        }

        var cutoff = DateTimeOffset.UtcNow.AddDays(-30);
        var dry = await storage.CleanAsync(StorageArea.Scratch("lab"), cutoff, dryRun: true, CancellationToken.None);
        Assert.Equal(["..evil", Path.Combine("run-1", "out", "result.csv")], dry.Removed.Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(old, "result.csv")));

        var done = await storage.CleanAsync(StorageArea.Scratch("lab"), cutoff, dryRun: false, CancellationToken.None);
        Assert.Equal(2, done.Count);
        Assert.False(Directory.Exists(Path.Combine(scratch, "run-1"))); // emptied and old: gone
        Assert.True(File.Exists(Path.Combine(scratch, "fresh.csv")));
        Assert.True(File.Exists(homeFile)); // the symlink into the home was not followed
        Assert.Equal(home, new FileInfo(Path.Combine(scratch, "to-home")).LinkTarget);
    }

    [Fact]
    public async Task EfsProvider_KeepsTheSameLayoutUnderTheHubsMountOfTheFileSystem_AndSaysWhatIsMissing()
    {
        await using var configured = await PlatformFactory.CreateAsync(new Dictionary<string, string?> { ["Storage:Efs:MountPath"] = outside.FullName });
        var efs = configured.Services.GetRequiredService<NamedStrategies<IStorageProvider>>().Find("efs")!;
        Assert.Equal(Path.Combine(outside.FullName, "groups", "lab", "shared", "data"), efs.Ensure(StorageArea.Shared("lab", "data")));

        var unconfigured = host.Services.GetRequiredService<NamedStrategies<IStorageProvider>>().Find("efs")!;
        var missing = Assert.Throws<InvalidOperationException>(() => unconfigured.Ensure(StorageArea.Home("ada")));
        Assert.StartsWith("Storage:Provider 'efs' needs Storage:Efs:MountPath", missing.Message, StringComparison.Ordinal);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static void Link(string existing, string name)
    {
        using var ln = Process.Start("ln", [existing, name]);
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }
}
