namespace DevPlatform.Storage.Backups;

/// <summary>Where home snapshots are kept: a directory (the embedded default) or an S3 bucket (<c>Storage:Backups:Target</c>).</summary>
internal interface IBackupTarget
{
    /// <summary>Stores the finished archive under <c>{user}/{id}.tar.gz</c> with its SHA-256.</summary>
    Task PutAsync(string user, string id, string archive, string sha256, CancellationToken cancellationToken);

    /// <summary>The user's snapshots (newest first).</summary>
    Task<IReadOnlyList<HomeBackup>> ListAsync(string user, CancellationToken cancellationToken);

    /// <summary>Copies a snapshot to <paramref name="file"/> on this host; returns the SHA-256 recorded when it was stored.</summary>
    Task<string> FetchAsync(string user, string id, string file, CancellationToken cancellationToken);

    Task DeleteAsync(string user, string id, CancellationToken cancellationToken);
}
