namespace DevPlatform.Api;

internal static class AuthorizationHeader
{
    /// <summary>
    /// The credential of <c>Authorization: Bearer &lt;value&gt;</c> or JupyterHub's <c>Authorization: token &lt;value&gt;</c>
    /// (scheme case-insensitive); null for any other header or none.
    /// </summary>
    public static string? Credential(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var scheme = header[..space];
        var value = header[(space + 1)..].Trim();
        return value.Length > 0 && (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || scheme.Equals("token", StringComparison.OrdinalIgnoreCase))
            ? value
            : null;
    }

    /// <summary><c>?token=</c>, as JupyterHub accepts it (a browser's WebSocket cannot set headers); null when absent.</summary>
    public static string? QueryToken(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Query["token"].FirstOrDefault(t => !string.IsNullOrEmpty(t));
    }

    /// <summary>The query without <c>token</c>: what goes into a redirect or to a workload that must not see the token.</summary>
    public static string WithoutToken(QueryString query) =>
        !query.HasValue || !Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query.Value).ContainsKey("token")
            ? query.Value ?? "" // untouched, byte for byte
            : QueryString.Create(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query.Value)
                .Where(p => !p.Key.Equals("token", StringComparison.Ordinal))
                .SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v)))).ToUriComponent();
}
