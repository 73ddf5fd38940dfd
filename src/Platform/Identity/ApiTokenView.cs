namespace DevPlatform.Identity;

/// <summary>A token as its owner sees it later: never the secret, only its first characters.</summary>
internal sealed record ApiTokenView(string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt)
{
    /// <summary>A personal token's view; the database guarantees personal tokens have a name and an expiry.</summary>
    public static ApiTokenView From(ApiToken t) => new(t.Name!, t.Prefix, t.Scopes, t.CreatedAt, t.ExpiresAt!.Value, t.LastUsedAt);
}
