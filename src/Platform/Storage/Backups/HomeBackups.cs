using System.Globalization;
using DevPlatform.Abstractions;
using DevPlatform.Validation;
using Microsoft.Extensions.Options;

namespace DevPlatform.Storage.Backups;

/// <summary>
/// Snapshots of homes as <c>tar.gz</c> (PAX; symlinks stored as links, never followed) in a directory, each with its
/// SHA-256 beside it; retention keeps the newest <c>KeepCount</c> and drops older ones past <c>KeepDays</c>. A restore
/// checks the checksum first, then writes the whole home, or one path of it, into <c>~/restored/{backup}/</c> —
/// never over live files; entries that would land outside it, and symlinks pointing out of it, are skipped.
/// </summary>
internal sealed class HomeBackups(SelectedStorage storage, IOptions<BackupOptions> options, IHostEnvironment host, TimeProvider time)
{
    private string Root => Path.GetFullPath(options.Value.Directory, host.ContentRootPath);

    /// <summary>Where dormant users' homes are archived (a name no user can have).</summary>
    public string ArchiveDirectory => Path.Combine(Root, ".archived");

    public async Task<HomeBackup> TakeAsync(string user, CancellationToken cancellationToken)
    {
        var home = storage.Provider.Ensure(StorageArea.Home(user));
        var folder = Directory.CreateDirectory(Path.Combine(Root, user)).FullName;
        var taken = time.GetUtcNow();
        var id = taken.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var archive = Path.Combine(folder, $"{id}.tar.gz");
        var sha = await TarArchive.CreateAsync(home, archive, cancellationToken);
        await File.WriteAllTextAsync(archive[..^".tar.gz".Length] + ".sha256", sha + "\n", cancellationToken);
        Prune(user);
        return new HomeBackup(id, user, taken, new FileInfo(archive).Length, sha);
    }

    public IReadOnlyList<HomeBackup> List(string user)
    {
        var folder = Path.Combine(Root, user);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.GetFiles(folder, "*.tar.gz").Select(archive =>
        {
            var id = Path.GetFileName(archive)[..^".tar.gz".Length];
            var sha = File.Exists(Path.Combine(folder, id + ".sha256")) ? File.ReadAllText(Path.Combine(folder, id + ".sha256")).Trim() : "";
            var taken = DateTimeOffset.ParseExact(id, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            return new HomeBackup(id, user, taken, new FileInfo(archive).Length, sha);
        }).OrderByDescending(b => b.TakenAt).ToList();
    }

    public async Task<RestoreResult> RestoreAsync(string user, string id, string? path, CancellationToken cancellationToken)
    {
        var backup = List(user).FirstOrDefault(b => b.Id == id) ?? throw new ResourceNotFoundException("backup", $"{user}/{id}");
        var archive = Path.Combine(Root, user, id + ".tar.gz");
        if (await TarArchive.Sha256Async(archive, cancellationToken) != backup.Sha256)
        {
            throw new ApiProblemException(409, "Backup damaged.", $"Backup {id} of {user} does not match its SHA-256; it was not restored. Choose another backup.");
        }

        var prefix = NormalisedPrefix(path);
        var into = Path.Combine(storage.Provider.Ensure(StorageArea.Home(user)), "restored", id);
        var (files, skipped) = await TarArchive.ExtractAsync(archive, into, prefix, cancellationToken);
        if (prefix is not null && files == 0 && !Directory.Exists(Path.Combine(into, prefix)))
        {
            throw new ResourceNotFoundException("path in backup", $"{id}:{prefix}");
        }

        return new RestoreResult(user, id, Path.GetRelativePath(storage.Provider.Ensure(StorageArea.Home(user)), into), files, skipped);
    }

    /// <summary>Keeps the newest KeepCount; of the rest, drops those older than KeepDays.</summary>
    private void Prune(string user)
    {
        var cutoff = time.GetUtcNow().AddDays(-options.Value.KeepDays);
        foreach (var old in List(user).Skip(options.Value.KeepCount).Where(b => b.TakenAt < cutoff))
        {
            File.Delete(Path.Combine(Root, user, old.Id + ".tar.gz"));
            File.Delete(Path.Combine(Root, user, old.Id + ".sha256"));
        }
    }

    private static string? NormalisedPrefix(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var parts = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p is "." or ".."))
        {
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["path"] = ["must be a path inside the home without '.' or '..' segments, e.g. 'project/data'."] });
        }

        return string.Join('/', parts);
    }
}
