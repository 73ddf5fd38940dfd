namespace DevPlatform.Compute.Local;

/// <summary>Configuration section <c>Compute:Local</c>.</summary>
internal sealed class LocalOptions
{
    public const string Section = "Compute:Local";

    /// <summary>Homes live in <c>{Root}/homes/{user}</c>, run folders (logs) in <c>{Root}/environments/{id}</c>. Relative to the content root.</summary>
    public string Root { get; set; } = ".devplatform/local";

    /// <summary>How long a workload gets between SIGTERM and SIGKILL.</summary>
    public int StopGraceSeconds { get; set; } = 10;

    /// <summary>Extra variables for every workload and bundle install, e.g. <c>PIP_INDEX_URL</c> of a package mirror.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];
}
