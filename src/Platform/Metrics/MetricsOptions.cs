namespace DevPlatform.Metrics;

/// <summary>Configuration section <c>Metrics</c>.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>The bearer token Prometheus sends to scrape <c>/metrics</c>; unset: <c>/metrics</c> is off (it names users and environments).</summary>
    public string? Token { get; set; }
}
