namespace DevPlatform.Storage.Backups;

/// <summary>Configuration section <c>Storage:Backups</c>.</summary>
internal sealed class BackupOptions
{
    public const string Section = "Storage:Backups";

    /// <summary>Where home snapshots go (relative to the content root): <c>{Directory}/{user}/{id}.tar.gz</c> with a <c>.sha256</c> beside it.</summary>
    public string Directory { get; set; } = ".devplatform/backups";

    /// <summary>Snapshots kept per home at least (the newest), whatever their age …</summary>
    public int KeepCount { get; set; } = 7;

    /// <summary>… and older ones are removed after this many days.</summary>
    public int KeepDays { get; set; } = 30;
}
