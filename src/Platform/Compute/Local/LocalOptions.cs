namespace DevPlatform.Compute.Local;

/// <summary>Configuration section <c>Compute:Local</c>.</summary>
internal sealed class LocalOptions
{
    public const string Section = "Compute:Local";

    /// <summary>Homes live in <c>{Root}/homes/{user}</c>, run folders (logs) in <c>{Root}/environments/{id}</c>. Relative to the content root.</summary>
    public string Root { get; set; } = ".devplatform/local";

    /// <summary>How long a workload gets between SIGTERM and SIGKILL.</summary>
    public int StopGraceSeconds { get; set; } = 10;

    /// <summary>
    /// The ports workloads are given (inclusive). Keep the range below the host's ephemeral ports
    /// (<c>/proc/sys/net/ipv4/ip_local_port_range</c>, 32768–60999 on Linux), or any process may take a port first.
    /// </summary>
    public int FirstPort { get; set; } = 20000;

    public int LastPort { get; set; } = 29999;

    /// <summary>What is wrong with the port range, for the start-up error; null when nothing.</summary>
    public string? PortRangeProblem() => FirstPort is < 1024 or > 65535 || LastPort < FirstPort || LastPort > 65535
        ? $"{Section}:FirstPort and LastPort ({FirstPort}–{LastPort}) must be a range within 1024–65535, FirstPort not above LastPort, e.g. 20000 and 29999."
        : null;

    /// <summary>Extra variables for every workload and bundle install, e.g. <c>PIP_INDEX_URL</c> of a package mirror.</summary>
    public Dictionary<string, string> Environment { get; set; } = [];
}
