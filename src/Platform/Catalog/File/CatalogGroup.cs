using DevPlatform.Tenancy;

namespace DevPlatform.Catalog.File;

/// <summary>A group entry of the catalog file: the group and, optionally, its whole policy.</summary>
internal sealed record CatalogGroup(string Name, string? DisplayName = null, string? Description = null, GroupPolicySpec? Policy = null)
{
    public GroupSpec ToSpec() => new(Name, DisplayName, Description);
}
