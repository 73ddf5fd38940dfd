using System.Globalization;

namespace DevPlatform.Storage.Backups;

/// <summary>Snapshots as files: <c>{Directory}/{user}/{id}.tar.gz</c> with <c>{id}.sha256</c> beside it, private (0700 folders, 0600 files).</summary>
internal sealed class DirectoryBackupTarget(string root) : IBackupTarget
{
    public async Task PutAsync(string user, string id, string archive, string sha256, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root, HomeBackups.Private);
        var folder = Directory.CreateDirectory(Path.Combine(root, user), HomeBackups.Private).FullName;
        File.Move(archive, Path.Combine(folder, id + ".tar.gz"), overwrite: true); // written 0600 by TarArchive
        var sha = Path.Combine(folder, id + ".sha256");
        await File.WriteAllTextAsync(sha, sha256 + "\n", cancellationToken);
        File.SetUnixFileMode(sha, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public Task<IReadOnlyList<HomeBackup>> ListAsync(string user, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(root, user);
        IReadOnlyList<HomeBackup> backups = !Directory.Exists(folder) ? [] : Directory.GetFiles(folder, "*.tar.gz").Select(archive =>
        {
            var id = Path.GetFileName(archive)[..^".tar.gz".Length];
            var sha = Path.Combine(folder, id + ".sha256");
            return new HomeBackup(id, user, TakenAt(id), new FileInfo(archive).Length, File.Exists(sha) ? File.ReadAllText(sha).Trim() : "");
        }).OrderByDescending(b => b.TakenAt).ToList();
        return Task.FromResult(backups);
    }

    public async Task<string> FetchAsync(string user, string id, string file, CancellationToken cancellationToken)
    {
        File.Copy(Path.Combine(root, user, id + ".tar.gz"), file, overwrite: true);
        return (await File.ReadAllTextAsync(Path.Combine(root, user, id + ".sha256"), cancellationToken)).Trim();
    }

    public Task DeleteAsync(string user, string id, CancellationToken cancellationToken)
    {
        File.Delete(Path.Combine(root, user, id + ".tar.gz"));
        File.Delete(Path.Combine(root, user, id + ".sha256"));
        return Task.CompletedTask;
    }

    /// <summary>Ids are the UTC time taken: <c>20261130T120000Z</c>.</summary>
    public static DateTimeOffset TakenAt(string id) => DateTimeOffset.ParseExact(id, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
