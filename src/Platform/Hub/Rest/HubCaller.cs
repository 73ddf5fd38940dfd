using DevPlatform.Identity;

namespace DevPlatform.Hub.Rest;

/// <summary>
/// Who calls <c>/hub/api</c> and what they may do there: a user (through a personal, JupyterHub-style, server or
/// OAuth token), the operator's admin token (a service, as JupyterHub would list it), or nobody (no scopes).
/// </summary>
internal sealed record HubCaller(string? Name, string Kind, HubScopeSet Scopes, ApiToken? Token = null)
{
    public static HubCaller Anonymous { get; } = new(null, "user", HubScopeSet.Empty);

    public bool IsUser => Name is not null && Kind == "user";

    /// <summary>
    /// Why this caller may not create tokens, or null. As on <c>/api</c>, a token cannot mint tokens — an environment's
    /// or an OAuth token never, a personal token only with the 'admin' scope of an admin, a JupyterHub-style token only
    /// when it holds <c>tokens</c> — so a leaked narrow token cannot be turned into a lasting one.
    /// </summary>
    public string? MintRefusal() => Token?.Kind switch
    {
        null => null,
        ApiTokenKind.Personal when Token.Scopes.Contains(ApiTokenScopes.Admin) => null,
        ApiTokenKind.Hub => null, // its scopes (tokens) are checked like JupyterHub's
        _ => "Tokens cannot create tokens; create one from a signed-in session (or with an admin-scoped token)",
    };

    /// <summary>
    /// Throws JupyterHub's refusal unless one of the scopes allows the target: 403 naming the scopes when none
    /// is held, 404 when the held scope is filtered to other resources.
    /// </summary>
    public void Require(HubTarget target, params string[] scopes)
    {
        switch (Scopes.Check(scopes, target))
        {
            case HubAccess.Refused:
                throw new HubApiException(403, $"Action is not authorized with current scopes; requires any of [{string.Join(", ", scopes)}]");
            case HubAccess.Hidden:
                throw new HubApiException(404, "No access to resources or resources not found");
        }
    }
}
