using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// The npm oidc-provider (a certified OpenID Connect server) on loopback, standing in for AWS Cognito; installed by
/// scripts/install-oidc-provider.sh. Any login signs in; <see cref="SetGroupsAsync"/> sets its cognito:groups.
/// </summary>
public sealed partial class OidcServer : IAsyncDisposable
{
    public const string ClientId = "devplatform-hub";
    public const string ClientSecret = "oidc-test-client-secret-0123456789";
    private readonly Process process;
    private readonly System.Text.StringBuilder log = new();

    private OidcServer(Process process, int port)
    {
        this.process = process;
        Issuer = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Issuer { get; }

    /// <summary>What the provider wrote to stderr (its warnings and errors), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static string Directory => Environment.GetEnvironmentVariable("OIDC_PROVIDER_DIR") ?? "/opt/devplatform/oidc-provider";

    public static int ReservePort() => TestPostgres.FreePort();

    public static async Task<OidcServer> StartAsync(int port, Uri redirectUri)
    {
        Assert.True(File.Exists(Path.Combine(Directory, "node_modules/oidc-provider/package.json")),
            $"oidc-provider is not installed in {Directory}; run scripts/install-oidc-provider.sh");
        var script = Path.Combine(AppContext.BaseDirectory, "Assets", "oidc", "server.mjs");
        var start = new ProcessStartInfo("node", [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), ClientId, ClientSecret, redirectUri.AbsoluteUri])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["OIDC_PROVIDER_DIR"] = Directory;
        var process = Process.Start(start)!;
        var server = new OidcServer(process, port);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (server.log)
            {
                server.log.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        string? line;
        do
        {
            line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        while (line is not null && !line.Contains("listening", StringComparison.Ordinal));

        Assert.True(line is not null, "oidc-provider exited before listening (run it by hand: node Assets/oidc/server.mjs 5555 a b http://x/)");
        _ = process.StandardOutput.ReadToEndAsync();
        return server;
    }

    /// <summary>Sets the account's groups (the cognito:groups claim), as a user-pool admin would.</summary>
    public async Task SetGroupsAsync(string login, params string[] groups)
    {
        using var client = new HttpClient();
        using var response = await client.PutAsync(new Uri(Issuer, $"/test/groups/{login}?groups={string.Join(',', groups)}"), null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>The next ID token the token endpoint returns is rewritten: expired, tampered, audience or nonce.</summary>
    public async Task MutateNextIdTokenAsync(string how)
    {
        using var client = new HttpClient();
        using var response = await client.PostAsync(new Uri(Issuer, $"/test/mutate-next-id-token?how={how}"), null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    /// <summary>
    /// Starts sign-in at the hub, logs in and consents at the provider's own pages (its dev interactions), and stops
    /// at the redirect back to the hub: returns that callback URL, not yet visited.
    /// </summary>
    public async Task<Uri> SignInUntilCallbackAsync(Browser browser, string login, string next = "/")
    {
        var (response, visited) = await browser.FollowAsync($"/hub/login/oidc?next={Uri.EscapeDataString(next)}");
        for (var step = 0; step < 4; step++)
        {
            var page = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"provider page {string.Join(" -> ", visited)} answered {(int)response.StatusCode}: {page}\n{Log}");
            var action = FormAction().Match(page).Groups[1].Value;
            var prompt = PromptField().Match(page).Groups[1].Value;
            var fields = prompt == "login"
                ? new Dictionary<string, string> { ["prompt"] = "login", ["login"] = login, ["password"] = "any" }
                : new Dictionary<string, string> { ["prompt"] = prompt };
            using var form = new FormUrlEncodedContent(fields);
            using var posted = await browser.Client.PostAsync(new Uri(Issuer, action), form);
            var location = new Uri(new Uri(Issuer, action), posted.Headers.Location!);
            response = null!;
            visited = [action];
            while (location.Authority == Issuer.Authority)
            {
                visited.Add(location.PathAndQuery);
                response = await browser.Client.GetAsync(location);
                if (response.Headers.Location is null)
                {
                    break; // the provider's next page (consent)
                }

                location = new Uri(location, response.Headers.Location);
            }

            if (location.AbsolutePath.EndsWith("/hub/login/oidc/callback", StringComparison.Ordinal))
            {
                return location;
            }
        }

        throw new InvalidOperationException("the provider never redirected back to the hub");
    }

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("name=\"prompt\" value=\"([^\"]+)\"")]
    private static partial Regex PromptField();

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
