using DevPlatform.Resources;

namespace DevPlatform.Tenancy;

internal sealed record GroupResource(
    string Name, string? DisplayName, string? Description, int Members, GroupPolicySpec Policy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : IResourceOf<Group, GroupResource>
{
    public static GroupResource From(Group g) =>
        new(g.Name, g.DisplayName, g.Description, g.Memberships.Count, GroupPolicySpec.From(g.Policy), g.CreatedAt, g.UpdatedAt);
}
