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
}
