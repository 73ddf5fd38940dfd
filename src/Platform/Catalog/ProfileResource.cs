using DevPlatform.Resources;

namespace DevPlatform.Catalog;

internal sealed record ProfileResource(
    string Name, string? DisplayName, string? Description, IReadOnlyList<ProfileImage> Images, bool AllowCustomImage,
    string? CustomImagePattern, IReadOnlyList<PackageBundle> Bundles, IReadOnlyList<ProfileSize> Sizes, string Pool,
    int StartTimeoutSeconds, ProfileKind Kind, IReadOnlyList<string> Command, IReadOnlyList<string> IdentityVariables,
    int IdleTimeoutMinutes, int? MaxAgeHours, decimal? IdleCpuFloor, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IResourceOf<Profile, ProfileResource>
{
    public static ProfileResource From(Profile p) => new(
        p.Name, p.DisplayName, p.Description, p.Images, p.AllowCustomImage, p.CustomImagePattern, p.Bundles, p.Sizes,
        p.Pool.Name, p.StartTimeoutSeconds, p.Kind, p.Command, p.IdentityVariables,
        p.IdleTimeoutMinutes, p.MaxAgeHours, Api.Decimals.Normalize(p.IdleCpuFloor), p.CreatedAt, p.UpdatedAt);
}
