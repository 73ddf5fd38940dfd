using DevPlatform.Resources;

namespace DevPlatform.Catalog.File;

internal static class CatalogChangeSummary
{
    /// <summary>"2 created, 1 updated, 5 unchanged".</summary>
    public static string Describe(IReadOnlyList<AppliedChange> changes) =>
        string.Join(", ", Enum.GetValues<WriteOutcome>().Select(o => $"{changes.Count(c => c.Outcome == o)} {o.ToString().ToLowerInvariant()}"));
}
