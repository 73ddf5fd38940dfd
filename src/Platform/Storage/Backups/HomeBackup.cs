namespace DevPlatform.Storage.Backups;

/// <summary>One snapshot of a home: its id (UTC time, <c>20261130T120000Z</c>), size and SHA-256.</summary>
internal sealed record HomeBackup(string Id, string User, DateTimeOffset TakenAt, long Bytes, string Sha256);

/// <summary>What a restore wrote: where, how many files, and what it skipped (symlinks pointing out of the restore).</summary>
internal sealed record RestoreResult(string User, string Backup, string Into, int Files, IReadOnlyList<string> Skipped);
