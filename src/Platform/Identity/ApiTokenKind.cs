namespace DevPlatform.Identity;

internal enum ApiTokenKind
{
    /// <summary>Created by a user through the API (<c>dvp_…</c>).</summary>
    Personal,

    /// <summary>An environment's JUPYTERHUB_API_TOKEN (also its OAuth client secret); acts for the owner, may report activity.</summary>
    Server,

    /// <summary>Issued by /hub/api/oauth2/token to the user who signed in through an environment.</summary>
    OAuth,

    /// <summary>A one-time authorization code of the hub's OAuth flow (5 minutes).</summary>
    Code,

    /// <summary>Created through JupyterHub's REST API (<c>POST /hub/api/users/{name}/tokens</c>): JupyterHub scopes, a note, optional expiry.</summary>
    Hub,
}
