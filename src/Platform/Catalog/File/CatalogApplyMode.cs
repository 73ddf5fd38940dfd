namespace DevPlatform.Catalog.File;

internal enum CatalogApplyMode
{
    /// <summary>At start-up: apply only entries the file changed since they were last applied; console edits to the rest stay.</summary>
    ChangedEntries,

    /// <summary><c>apply-catalog FILE</c>: the operator asked for the file, so every entry in it wins.</summary>
    Everything,
}
