using DevPlatform.Resources;

namespace DevPlatform.Catalog;

/// <summary>
/// A profile as an admin writes it: the images offered (or, with <see cref="AllowCustomImage"/>, the
/// user's own matching <see cref="CustomImagePattern"/>, a regular expression matched against the whole
/// reference), package bundles, sizes, the pool it runs on, how long a start may take, what it runs
/// (<see cref="Kind"/>), optionally the exact command line (argv; <c>{port}</c> and <c>{ip}</c> are filled in), and
/// which of the user's sign-in variables (<see cref="IdentityVariables"/>: GITHUB_TOKEN, GITHUB_USER, GITHUB_EMAIL)
/// are passed into the environment — none unless listed. Culling: an environment with no traffic and no reported
/// activity for <see cref="IdleTimeoutMinutes"/> (0: never) is stopped, unless it uses at least
/// <see cref="IdleCpuFloor"/> cores; any environment is stopped <see cref="MaxAgeHours"/> after it started.
/// </summary>
internal sealed record ProfileSpec(
    string Name,
    string Pool,
    IReadOnlyList<ProfileSize> Sizes,
    string? DisplayName = null,
    string? Description = null,
    IReadOnlyList<ProfileImage>? Images = null,
    bool AllowCustomImage = false,
    string? CustomImagePattern = null,
    IReadOnlyList<PackageBundle>? Bundles = null,
    int StartTimeoutSeconds = ProfileSpec.DefaultStartTimeoutSeconds,
    ProfileKind Kind = ProfileKind.Jupyter,
    IReadOnlyList<string>? Command = null,
    IReadOnlyList<string>? IdentityVariables = null,
    int IdleTimeoutMinutes = ProfileSpec.DefaultIdleTimeoutMinutes,
    int? MaxAgeHours = null,
    decimal? IdleCpuFloor = null) : INamedSpec
{
    public const int DefaultStartTimeoutSeconds = 300;
    public const int DefaultIdleTimeoutMinutes = 30;
}
