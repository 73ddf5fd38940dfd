namespace DevPlatform.Persistence;

/// <summary>Configuration section <c>Database</c>.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply pending migrations at start-up instead of refusing to start. Off by default: run <c>migrate</c> before a rollout.</summary>
    public bool MigrateOnStartup { get; set; }
}
