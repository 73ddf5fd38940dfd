namespace DevPlatform.Costs;

/// <summary>Configuration section <c>Pricing</c>.</summary>
internal sealed class PricingOptions
{
    public const string Section = "Pricing";

    /// <summary>The price file (YAML); relative paths are next to the host. Missing file: pools are priced by their own prices.</summary>
    public string File { get; set; } = "pricing.yaml";
}
