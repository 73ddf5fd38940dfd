using DevPlatform.Identity;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace DevPlatform.Proxy;

/// <summary>
/// Forwards the full original path and query (or, for workloads that cannot serve under a prefix, the
/// rest of it), keeps the browser's Host (Jupyter refuses cookie-authenticated websockets otherwise), adds
/// X-Forwarded-*, and never lets the platform's own session or antiforgery cookies, nor an Authorization header
/// other than a hub token issued for that workload, reach a workload (a personal or the operator's token would
/// let the workload act as its holder).
/// </summary>
internal static class EnvironmentTransformer
{
    private static readonly string[] PlatformCookies = [SessionDefaults.CookieName, "devplatform-antiforgery", EnvironmentSignIn.CookieName, EnvironmentSignIn.SecureCookieName];

    private static bool IsPlatformCookie(ReadOnlySpan<char> name)
    {
        foreach (var platform in PlatformCookies)
        {
            if (name.SequenceEqual(platform))
            {
                return true;
            }
        }

        return name.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal);
    }

    /// <summary>
    /// Environments share the hub's origin in path mode, so a page one serves would run with the session of whoever opens
    /// it. Shown to anyone but its owner (an admin helping), it runs sandboxed (in subdomain mode it has an origin of its
    /// own and needs no sandbox): an opaque origin, so it can neither read
    /// the console nor make signed-in changes (<see cref="Api.SameOriginWrites"/> refuses <c>Origin: null</c>).
    /// </summary>
    public static void SandboxForVisitors(HttpResponse response) =>
        response.Headers.Append("Content-Security-Policy", "sandbox allow-scripts allow-forms allow-popups allow-downloads allow-modals");

    /// <summary>Where the request goes: the endpoint plus the full original path and query, or the rest after the prefix.</summary>
    /// <param name="passToken">Whether <c>?token=</c> may reach the workload (the hub token issued for it); otherwise it is removed.</param>
    public static Uri Destination(ProxyRoute route, string prefix, HttpRequest request, bool passToken)
    {
        var full = request.Path.Value ?? "/";
        var path = route.StripPrefix ? "/" + full[Math.Min(prefix.Length, full.Length)..].TrimStart('/') : full;
        var query = passToken ? request.QueryString.Value : Api.AuthorizationHeader.WithoutToken(request.QueryString);
        return new Uri($"{route.Endpoint.GetLeftPart(UriPartial.Authority)}{path}{query}");
    }

    /// <param name="credential">The hub token the caller was admitted with (it was issued for this workload), or null.</param>
    public static void Apply(HttpContext httpContext, HttpRequestMessage proxyRequest, string? credential)
    {
        if (credential is null)
        {
            proxyRequest.Headers.Authorization = null;
        }

        var request = httpContext.Request;
        proxyRequest.Headers.Host = request.Host.Value;
        proxyRequest.Headers.Remove("X-Forwarded-For");
        var client = httpContext.Connection.RemoteIpAddress?.ToString();
        var forwardedFor = request.Headers["X-Forwarded-For"].ToString();
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", string.IsNullOrEmpty(forwardedFor) ? client : $"{forwardedFor}, {client}");
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Port", (request.Host.Port ?? (request.IsHttps ? 443 : 80)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        proxyRequest.Headers.Remove(HeaderNames.Cookie);
        if (WorkloadCookies(request.Headers.Cookie) is { Length: > 0 } cookies)
        {
            proxyRequest.Headers.TryAddWithoutValidation(HeaderNames.Cookie, cookies); // values byte for byte: workloads sign them
        }
    }

    /// <summary>The request's cookies without the platform's own, joined with "; " (every request passes here: no split lists).</summary>
    internal static string WorkloadCookies(StringValues headers)
    {
        var kept = new System.Text.StringBuilder();
        foreach (var header in headers)
        {
            var rest = (header ?? string.Empty).AsSpan();
            while (!rest.IsEmpty)
            {
                var end = rest.IndexOf(';');
                var cookie = (end < 0 ? rest : rest[..end]).Trim();
                rest = end < 0 ? [] : rest[(end + 1)..];
                var equals = cookie.IndexOf('=');
                if (cookie.IsEmpty || IsPlatformCookie(cookie[..Math.Max(0, equals)]))
                {
                    continue;
                }

                kept.Append(kept.Length > 0 ? "; " : string.Empty).Append(cookie);
            }
        }

        return kept.ToString();
    }
}
