using System.Net;
using System.Text.RegularExpressions;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>An HTTP client that keeps cookies and follows redirects one by one, as a browser does.</summary>
public sealed partial class Browser : IDisposable
{
    private readonly HttpClient client;

    /// <param name="cookies">Cookies to share with another browser (the same person); new ones by default.</param>
    /// <param name="resolveToLoopback">Every host name resolves to 127.0.0.1, as a wildcard DNS record would (subdomain mode).</param>
    public Browser(Uri baseAddress, CookieContainer? cookies = null, bool resolveToLoopback = false)
    {
        Cookies = cookies ?? new CookieContainer();
        var handler = new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false, UseProxy = false };
        if (resolveToLoopback)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            };
        }

        client = new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Client => client;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public async Task LoginAsync(string username)
    {
        var page = await client.GetStringAsync(new Uri("/hub/login", UriKind.Relative));
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["username"] = username, ["next"] = "/" });
        using var response = await client.PostAsync(new Uri("/hub/login", UriKind.Relative), form);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"login as {username} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A form post carrying the antiforgery token of the sign-in page, as the console's forms do.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string>? fields = null, bool withAntiforgery = true)
    {
        var all = new Dictionary<string, string>(fields ?? []);
        if (withAntiforgery)
        {
            var page = await client.GetStringAsync(new Uri("/hub/login", UriKind.Relative));
            all["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        }

        using var form = new FormUrlEncodedContent(all);
        return await client.PostAsync(new Uri(path, UriKind.Relative), form);
    }

    /// <summary>GETs the URL (relative, or absolute on any host) and follows redirects (at most 10); returns the final response and the URLs visited (paths on the base host, absolute elsewhere).</summary>
    public async Task<(HttpResponseMessage Response, List<string> Visited)> FollowAsync(string url)
    {
        var visited = new List<string>();
        var current = new Uri(client.BaseAddress!, url);
        for (var i = 0; i < 10; i++)
        {
            visited.Add(current.Authority == client.BaseAddress!.Authority ? current.PathAndQuery : current.ToString());
            var response = await client.GetAsync(current);
            if ((int)response.StatusCode is < 300 or >= 400 || response.Headers.Location is null)
            {
                return (response, visited);
            }

            current = new Uri(current, response.Headers.Location);
            response.Dispose();
        }

        throw new InvalidOperationException($"too many redirects: {string.Join(" -> ", visited)}");
    }

    public void Dispose() => client.Dispose();
}
