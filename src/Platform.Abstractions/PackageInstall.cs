namespace DevPlatform.Abstractions;

/// <summary>Packages to install before the workload starts; each spec is already validated as one argument.</summary>
/// <param name="Manager"><c>pip</c> or <c>conda</c>.</param>
public sealed record PackageInstall(string Bundle, string Manager, IReadOnlyList<string> Packages)
{
    /// <summary>
    /// The argv that installs the bundle, the same on every backend: <c>python3 -m pip install --user</c> (into the
    /// persistent home) or <c>conda install</c> (into the image's environment), each spec one element.
    /// </summary>
    public IReadOnlyList<string> Command() => Manager == "conda"
        ? ["conda", "install", "--yes", "--quiet", .. Packages]
        : ["python3", "-m", "pip", "install", "--user", "--no-input", "--disable-pip-version-check", "--progress-bar", "off", .. Packages];
}
