using System.Text.RegularExpressions;

namespace DevPlatform.Validation;

/// <summary>
/// Package specifications a bundle may install. A deliberately strict subset of PEP 508 (pip) and of
/// conda's match specs: names, extras and version constraints only — no URLs, paths, options, markers,
/// quotes, spaces inside a spec or shell metacharacters, so a spec can only ever be one argument.
/// </summary>
internal static partial class PackageSpec
{
    private const string Version = @"[A-Za-z0-9.*+!_-]+";

    [GeneratedRegex(
        @"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:,[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)*\])?" +
        "(?:(?:~=|===|==|!=|<=|>=|<|>)" + Version + "(?:,(?:~=|===|==|!=|<=|>=|<|>)" + Version + ")*)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pip();

    [GeneratedRegex(
        @"^(?:[a-z0-9][a-z0-9._-]*::)?[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?" +
        @"(?:(?:==|!=|<=|>=|<|>|=|~=)[A-Za-z0-9.*+!_]+(?:[,|](?:==|!=|<=|>=|<|>|=|~=)?[A-Za-z0-9.*+!_]+)*(?:=[A-Za-z0-9_.*]+)?)?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Conda();

    public static bool IsValidPip(string spec) => spec.Length <= 200 && Pip().IsMatch(spec);

    public static bool IsValidConda(string spec) => spec.Length <= 200 && Conda().IsMatch(spec);
}
