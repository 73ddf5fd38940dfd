using Microsoft.EntityFrameworkCore;
using DevPlatform.Resources;

namespace DevPlatform.Tenancy;

internal sealed record GroupResource(
    string Name, string? DisplayName, string? Description, int Members, GroupPolicySpec Policy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IResourceOf<Group, GroupResource>
{
    public static GroupResource From(Group g) => From(g, g.Memberships.Count);

    public static GroupResource From(Group g, int members) =>
        new(g.Name, g.DisplayName, g.Description, members, GroupPolicySpec.From(g.Policy), g.CreatedAt, g.UpdatedAt);

    /// <summary>Groups with their member counts counted by PostgreSQL: no membership row is loaded.</summary>
    public static IQueryable<Counted> WithMemberCounts(IQueryable<Group> groups) =>
        groups.AsNoTracking().Select(g => new Counted(g, g.Memberships.Count));

    public sealed record Counted(Group Group, int Members)
    {
        public GroupResource ToResource() => From(Group, Members);
    }
}
