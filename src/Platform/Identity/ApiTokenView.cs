namespace DevPlatform.Identity;

/// <summary>A token as its owner sees it later: never the secret, only its first characters.</summary>
internal sealed record ApiTokenView(string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt)
{
    public static ApiTokenView From(ApiToken t) => new(t.Name, t.Prefix, t.Scopes, t.CreatedAt, t.ExpiresAt, t.LastUsedAt);
}
