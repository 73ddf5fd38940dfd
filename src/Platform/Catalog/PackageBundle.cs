namespace DevPlatform.Catalog;

/// <summary>A named set of packages installed at start by one package manager.</summary>
internal sealed record PackageBundle(string Name, PackageManager Manager, IReadOnlyList<string> Packages, string? DisplayName = null);
