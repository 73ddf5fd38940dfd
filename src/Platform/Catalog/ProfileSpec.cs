using DevPlatform.Resources;

namespace DevPlatform.Catalog;

/// <summary>
/// A profile as an admin writes it: the images offered (or, with <see cref="AllowCustomImage"/>, the
/// user's own matching <see cref="CustomImagePattern"/>, a regular expression matched against the whole
/// reference), package bundles, sizes, the pool it runs on, how long a start may take, what it runs
/// (<see cref="Kind"/>), optionally the exact command line (argv; <c>{port}</c> and <c>{ip}</c> are filled in), and
/// which of the user's sign-in variables (<see cref="IdentityVariables"/>: GITHUB_TOKEN, GITHUB_USER, GITHUB_EMAIL)
/// are passed into the environment — none unless listed.
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
    IReadOnlyList<string>? IdentityVariables = null) : INamedSpec
{
    public const int DefaultStartTimeoutSeconds = 300;
}
