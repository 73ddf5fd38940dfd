namespace DevPlatform.Compute;

/// <summary>Configuration section <c>Compute</c>.</summary>
internal sealed class ComputeOptions
{
    public const string Section = "Compute";

    /// <summary>The compute backend environments run on: <c>local</c> (embedded default) or one a plugin provides.</summary>
    public string Backend { get; set; } = Local.LocalProcessBackend.BackendName;

    /// <summary>Hub-wide limit of environments starting at once (z2jh's concurrentSpawnLimit); past it, 429.</summary>
    public int ConcurrentStartLimit { get; set; } = 64;
}
