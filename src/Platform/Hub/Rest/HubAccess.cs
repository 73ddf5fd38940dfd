namespace DevPlatform.Hub.Rest;

/// <summary>The outcome of a scope check, as JupyterHub answers it.</summary>
internal enum HubAccess
{
    Allowed,

    /// <summary>None of the scopes is held: 403 "Action is not authorized with current scopes…".</summary>
    Refused,

    /// <summary>Held, but filtered to other resources: 404 "No access to resources or resources not found".</summary>
    Hidden,
}
