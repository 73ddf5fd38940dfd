using System.Text.RegularExpressions;

namespace DevPlatform.Validation;

/// <summary>
/// OCI image references as the distribution reference grammar defines them
/// (<c>[domain[:port]/]path[:tag][@digest]</c>), so nothing else can reach a runtime or a shell.
/// </summary>
internal static partial class ImageReference
{
    private const int MaxNameLength = 255;

    [GeneratedRegex(
        @"^(?<name>(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/|\[[0-9a-fA-F:]+\](?::[0-9]+)?/)?" +
        @"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*)" +
        @"(?::(?<tag>[\w][\w.-]{0,127}))?" +
        @"(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex Grammar();

    public static bool IsValid(string? reference) =>
        reference is { Length: > 0 } && Grammar().Match(reference) is { Success: true } match && match.Groups["name"].Length <= MaxNameLength;

    public static void CheckImageReference(this ValidationErrors errors, string field, string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            errors.Add(field, "is required: an OCI image reference such as 'quay.io/jupyter/scipy-notebook:2025-01-06'.");
        }
        else if (!IsValid(reference))
        {
            errors.Add(field, $"'{NameRules.Shorten(reference)}' is not an OCI image reference: expected [registry[:port]/]repository[:tag][@sha256:digest] " +
                "with a lower-case repository, e.g. 'quay.io/jupyter/scipy-notebook:2025-01-06'.");
        }
    }
}
