namespace DevPlatform.Api;

/// <summary>Configuration section <c>Platform</c>.</summary>
internal sealed class PlatformOptions
{
    public const string Section = "Platform";

    /// <summary>The operator's bearer token for the admin API. No token, no admin API.</summary>
    public string? AdminToken { get; set; }

    /// <summary>The name audit records give changes made with the admin token.</summary>
    public string AdminName { get; set; } = "admin";
}
