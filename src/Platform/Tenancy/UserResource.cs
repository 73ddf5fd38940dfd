using Microsoft.EntityFrameworkCore;
using DevPlatform.Resources;

namespace DevPlatform.Tenancy;

internal sealed record UserResource(
    string Name, string? DisplayName, string? Email, bool Admin, bool Disabled, IReadOnlyList<string> Groups,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IResourceOf<User, UserResource>
{
    public static UserResource From(User u) => From(u, u.Memberships.Select(m => m.Group.Name));

    private static UserResource From(User u, IEnumerable<string> groups) => new(
        u.Name, u.DisplayName, u.Email, u.Admin, u.Disabled, groups.Order(StringComparer.Ordinal).ToList(), u.CreatedAt, u.UpdatedAt);

    /// <summary>Users with their group names, in one statement (no membership or group entity is built).</summary>
    public static IQueryable<Named> WithGroupNames(IQueryable<User> users) =>
        users.AsNoTracking().Select(u => new Named(u, u.Memberships.Select(m => m.Group.Name).ToList()));

    public sealed record Named(User User, List<string> Groups)
    {
        public UserResource ToResource() => From(User, Groups);
    }
}
