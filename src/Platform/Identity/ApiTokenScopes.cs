namespace DevPlatform.Identity;

internal static class ApiTokenScopes
{
    /// <summary>GET requests only.</summary>
    public const string ReadOnly = "read-only";

    /// <summary>Everything on the owner's own environments.</summary>
    public const string Environments = "environments";

    /// <summary>The admin API; only admins can hold it.</summary>
    public const string Admin = "admin";

    public const string ClaimType = "scope";

    public static readonly string[] All = [ReadOnly, Environments, Admin];
}
