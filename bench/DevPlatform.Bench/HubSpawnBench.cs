using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.IntegrationTests.Hub;

namespace DevPlatform.Bench;

/// <summary>
/// Default-server starts of stock jupyterhub-singleuser through the JupyterHub REST API, DevPlatform against a real
/// JupyterHub 3.0 in the same run: 20 users created through the API start one after another, then 20 others all at once.
/// A start is timed from the POST to the end of its progress stream (the ready event), the same way on both hubs.
/// </summary>
internal static class HubSpawnBench
{
    private const int Users = 20;

    public static async Task RunAsync(PlatformFactory host)
    {
        await using var jupyterHub = await JupyterHubServer.StartAsync(logLevel: "WARN");
        var hubs = new (string Name, HttpClient Client)[]
        {
            ("JupyterHub", Client(jupyterHub.HubAddress, JupyterHubServer.AdminToken)),
            ("DevPlatform", Client(host.BaseAddress, PlatformFactory.AdminToken)),
        };
        foreach (var (kind, together) in new[] { ("sequential", false), ("concurrent", true) })
        {
            foreach (var (name, client) in hubs)
            {
                var users = Enumerable.Range(1, Users).Select(i => $"{kind[..3]}{i:00}").ToList();
                using var body = new StringContent(JsonSerializer.Serialize(new { usernames = users }), System.Text.Encoding.UTF8, "application/json");
                (await client.PostAsync(new Uri("/hub/api/users", UriKind.Relative), body)).EnsureSuccessStatusCode();
                var times = new List<double>();
                if (together)
                {
                    times.AddRange(await Task.WhenAll(users.Select(u => StartAsync(client, u))));
                }
                else
                {
                    foreach (var user in users)
                    {
                        times.Add(await StartAsync(client, user));
                    }
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"hub spawn {kind}, {name}: n={times.Count} p50 {Percentiles.Of(times, 50):0} ms p95 {Percentiles.Of(times, 95):0} ms max {times.Max():0} ms"));
                await Task.WhenAll(users.Select(u => StopAsync(client, u)));
            }
        }

        foreach (var (_, client) in hubs)
        {
            client.Dispose();
        }
    }

    private static HttpClient Client(Uri address, string token)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        return client;
    }

    /// <summary>POST the default server, then read its progress stream to the end: it ends with the ready event.</summary>
    private static async Task<double> StartAsync(HttpClient client, string user)
    {
        var clock = Stopwatch.StartNew();
        using var start = await client.PostAsync(new Uri($"/hub/api/users/{user}/server", UriKind.Relative), null);
        if (start.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Accepted))
        {
            throw new InvalidOperationException($"{user}: start answered {(int)start.StatusCode} {await start.Content.ReadAsStringAsync()}");
        }

        var progress = await client.GetStringAsync(new Uri($"/hub/api/users/{user}/server/progress", UriKind.Relative));
        var elapsed = clock.Elapsed.TotalMilliseconds;
        return HubUnderTest.EventsOf(progress) is [.., { } last] && last["ready"]?.GetValue<bool>() == true
            ? elapsed
            : throw new InvalidOperationException($"{user}: the progress stream ended without the ready event: {progress}");
    }

    private static async Task StopAsync(HttpClient client, string user)
    {
        using var stop = await client.DeleteAsync(new Uri($"/hub/api/users/{user}/server", UriKind.Relative));
        await Eventually.UntilAsync(
            async () => await client.GetStringAsync(new Uri($"/hub/api/users/{user}", UriKind.Relative)),
            text => !JsonDocument.Parse(text).RootElement.GetProperty("servers").TryGetProperty("", out _), // a stopped server is no longer listed
            TimeSpan.FromMinutes(2), $"{user}'s server to stop");
    }
}
