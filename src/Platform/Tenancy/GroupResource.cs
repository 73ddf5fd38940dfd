using Microsoft.EntityFrameworkCore;
using DevPlatform.Resources;

namespace DevPlatform.Tenancy;

internal sealed record GroupResource(
    string Name, string? DisplayName, string? Description, int Members, GroupPolicySpec Policy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IResourceOf<Group, GroupResource>
{
    public static GroupResource From(Group g) => From(g, g.Memberships.Count);

    public static GroupResource From(Group g, int members) =>
        new(g.Name, g.DisplayName, g.Description, members, GroupPolicySpec.From(g.Policy), g.CreatedAt, g.UpdatedAt);

    /// <summary>Groups with their member counts as the triggers keep them (<see cref="Persistence.KeptCounts"/>): no membership is read.</summary>
#pragma warning disable CA1305 // g.Id.ToString() is SQL (id::text), the memberships' key; never formatted in .NET
    public static IQueryable<Counted> WithMemberCounts(Persistence.PlatformDbContext db, IQueryable<Group> groups) =>
        groups.AsNoTracking().Select(g => new Counted(g, (int)db.RowCounts.Where(c => c.TableName == Persistence.KeptCounts.MembershipsTable && c.Key == g.Id.ToString()).Sum(c => c.Delta)));
#pragma warning restore CA1305

    public sealed record Counted(Group Group, int Members)
    {
        public GroupResource ToResource() => From(Group, Members);
    }
}
