namespace DevPlatform.Abstractions;

/// <summary>
/// Maps identity-provider groups (a GitHub <c>org</c> or <c>org/team</c>, an OIDC groups-claim value) to platform
/// groups: configured as <c>GroupRules: { "my-org/ml-team": "ml" }</c>. Matching ignores case.
/// </summary>
public sealed class GroupRules(IReadOnlyDictionary<string, string> rules)
{
    private readonly Dictionary<string, string> rules = new(rules, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every platform group a rule points at: the ones whose membership the provider decides.</summary>
    public IReadOnlySet<string> Targets => rules.Values.ToHashSet(StringComparer.Ordinal);

    public IReadOnlySet<string> Map(IEnumerable<string> external) =>
        external.Select(e => rules.GetValueOrDefault(e)).OfType<string>().ToHashSet(StringComparer.Ordinal);
}
