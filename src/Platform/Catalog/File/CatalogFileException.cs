namespace DevPlatform.Catalog.File;

/// <summary>The catalog file is wrong; each line names the file, the line and column, the path and the fix. Nothing was applied.</summary>
internal sealed class CatalogFileException(IReadOnlyList<string> problems)
    : Exception($"The catalog file was not applied ({problems.Count} problem(s)):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
