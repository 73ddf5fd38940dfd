namespace DevPlatform.Services;

/// <summary>Configuration section <c>Services</c>.</summary>
internal sealed class ServiceOptions
{
    public const string Section = "Services";

    /// <summary>How often the supervisor looks at every service (seconds).</summary>
    public int SuperviseSeconds { get; set; } = 5;
}
