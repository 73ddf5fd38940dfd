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

    /// <summary>
    /// Users with their group names, in one statement. The <c>Take</c> (no limit in practice) makes EF join each user's
    /// memberships as a <c>LATERAL</c> subquery — an index lookup per user of the page; joined plainly, PostgreSQL hashed
    /// every membership of every user for each page (9 → 4.5 ms for a page of 50 of 10,000 users).
    /// </summary>
    public static IQueryable<Named> WithGroupNames(IQueryable<User> users) =>
        users.AsNoTracking().Select(u => new Named(u, u.Memberships.OrderBy(m => m.GroupId).Select(m => m.Group.Name).Take(int.MaxValue).ToList()));

    public sealed record Named(User User, List<string> Groups)
    {
        public UserResource ToResource() => From(User, Groups);
    }
}
