namespace DevPlatform.Storage;

/// <summary>Configuration section <c>Storage</c> (besides <c>Storage:Provider</c>).</summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The longest one area's scan may take; a scan cut short is recorded as partial (a lower bound).</summary>
    public int ScanBudgetSeconds { get; set; } = 60;

    /// <summary>How long a deleted user's home is kept (archived, private) before the clean-up job removes it.</summary>
    public int DeletedUserGraceDays { get; set; } = 30;

    /// <summary>DANDI-style retention: warn users this many days after their last sign-in (null: off) …</summary>
    public int? DormantWarnAfterDays { get; set; }

    /// <summary>… and archive their home after this many (null: never).</summary>
    public int? DormantArchiveAfterDays { get; set; }
}
