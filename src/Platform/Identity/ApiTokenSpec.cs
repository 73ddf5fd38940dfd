namespace DevPlatform.Identity;

/// <summary>A token to create: a name, its scopes (read-only, environments, admin) and its lifetime in days (1–365, default 90).</summary>
internal sealed record ApiTokenSpec(string Name, IReadOnlyList<string> Scopes, int ExpiresInDays = 90);
