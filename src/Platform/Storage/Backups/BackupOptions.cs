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

    /// <summary><c>directory</c> (the embedded default) or <c>s3</c>.</summary>
    public string Target { get; set; } = "directory";

    public S3Settings S3 { get; set; } = new();

    /// <summary><c>Storage:Backups:S3</c>: the bucket, a key prefix, the region; an endpoint and key only for S3-compatible stores and tests.</summary>
    internal sealed class S3Settings
    {
        public string Bucket { get; set; } = "";

        public string Prefix { get; set; } = "homes/";

        public string Region { get; set; } = "us-east-1";

        public string? ServiceUrl { get; set; }

        public string? AccessKeyId { get; set; }

        public string? SecretAccessKey { get; set; }
    }
}
