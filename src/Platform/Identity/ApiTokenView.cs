namespace DevPlatform.Identity;

/// <summary>
/// A token as its owner sees it later: never the secret, only its first characters. <c>Kind</c> is <c>personal</c>, or
/// <c>derived</c> for a token created with another token through <c>/hub/api</c> (named <c>a{id}</c> as JupyterHub
/// names tokens; it expires with its parent at the latest, and is revoked with it and on sign-out-everywhere).
/// </summary>
internal sealed record ApiTokenView(string Name, string Prefix, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt,
    string Kind = "personal", string? Note = null)
{
    /// <summary>The name a derived token is listed and revoked by.</summary>
    public static string DerivedName(long id) => $"a{id}";

    /// <summary>A personal or derived token's view; both always have an expiry (the database and the hub API see to it).</summary>
    public static ApiTokenView From(ApiToken t) => t.Kind == ApiTokenKind.Personal
        ? new(t.Name!, t.Prefix, t.Scopes, t.CreatedAt, t.ExpiresAt!.Value, t.LastUsedAt)
        : new(DerivedName(t.Id), t.Prefix, t.Scopes, t.CreatedAt, t.ExpiresAt!.Value, t.LastUsedAt, "derived", t.Note);
}
