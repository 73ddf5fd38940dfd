namespace DevPlatform.Abstractions;

/// <summary>Packages to install before the workload starts; each spec is already validated as one argument.</summary>
/// <param name="Manager"><c>pip</c> or <c>conda</c>.</param>
public sealed record PackageInstall(string Bundle, string Manager, IReadOnlyList<string> Packages);
