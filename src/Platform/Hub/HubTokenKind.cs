namespace DevPlatform.Hub;

internal enum HubTokenKind
{
    /// <summary>The environment's JUPYTERHUB_API_TOKEN; acts for the owner, may report activity.</summary>
    Server,

    /// <summary>Issued by /hub/api/oauth2/token to the user who signed in through the environment.</summary>
    OAuth,

    /// <summary>A one-time authorization code (5 minutes).</summary>
    Code,
}
