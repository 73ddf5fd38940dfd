using DevPlatform.Resources;

namespace DevPlatform.Tenancy;

internal sealed record UserResource(
    string Name, string? DisplayName, string? Email, bool Admin, bool Disabled, IReadOnlyList<string> Groups,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IResourceOf<User, UserResource>
{
    public static UserResource From(User u) => new(
        u.Name, u.DisplayName, u.Email, u.Admin, u.Disabled,
        u.Memberships.Select(m => m.Group.Name).Order(StringComparer.Ordinal).ToList(), u.CreatedAt, u.UpdatedAt);
}
