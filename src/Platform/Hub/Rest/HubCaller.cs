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
