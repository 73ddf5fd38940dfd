namespace DevPlatform.Plugins.Auth;

internal static class QueryString
{
    /// <summary>Appends form-encoded parameters to a URL that may already carry a query.</summary>
    public static string Append(string url, IReadOnlyDictionary<string, string> parameters)
    {
        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }
}
