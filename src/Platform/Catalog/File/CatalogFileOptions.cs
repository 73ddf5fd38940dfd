namespace DevPlatform.Catalog.File;

/// <summary>Configuration section <c>Catalog</c>.</summary>
internal sealed class CatalogFileOptions
{
    public const string Section = "Catalog";

    /// <summary>A catalog file applied at every start-up (GitOps); a bad file stops start-up.</summary>
    public string? File { get; set; }
}
