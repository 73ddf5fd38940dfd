using DevPlatform.Resources;

namespace DevPlatform.Catalog;

internal sealed class Profile : INamedEntity
{
    public long Id { get; set; }

    public required string Name { get; set; }

    public string? DisplayName { get; set; }

    public string? Description { get; set; }

    public List<ProfileImage> Images { get; set; } = [];

    public bool AllowCustomImage { get; set; }

    public string? CustomImagePattern { get; set; }

    public List<PackageBundle> Bundles { get; set; } = [];

    public List<ProfileSize> Sizes { get; set; } = [];

    public long PoolId { get; set; }

    public ComputePool Pool { get; set; } = null!;

    public int StartTimeoutSeconds { get; set; }

    public ProfileKind Kind { get; set; }

    /// <summary>The command line (argv, never a shell string); empty = the kind's default.</summary>
    public List<string> Command { get; set; } = [];

    /// <summary>Sign-in variables (e.g. GITHUB_TOKEN) passed into environments of this profile.</summary>
    public List<string> IdentityVariables { get; set; } = [];

    /// <summary>Minutes without activity before the environment is stopped; 0 = never.</summary>
    public int IdleTimeoutMinutes { get; set; }

    /// <summary>Hours after its start an environment is stopped, busy or not; null = no limit.</summary>
    public int? MaxAgeHours { get; set; }

    /// <summary>CPU cores in use at which an environment without traffic still counts as busy; null = traffic only.</summary>
    public decimal? IdleCpuFloor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
