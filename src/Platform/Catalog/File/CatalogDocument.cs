namespace DevPlatform.Catalog.File;

/// <summary>The catalog file: pools, profiles and groups with their policies, in the API's own field names.</summary>
internal sealed record CatalogDocument(
    IReadOnlyList<PoolSpec>? Pools = null,
    IReadOnlyList<ProfileSpec>? Profiles = null,
    IReadOnlyList<CatalogGroup>? Groups = null);
