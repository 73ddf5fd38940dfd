using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.Bench;

/// <summary>
/// The JupyterHub REST API under load, DevPlatform against a real JupyterHub 3.0 back to back on this machine, both
/// holding the same 1,000 users: list a page of 200 (offset 200, pagination form), get one user, create users (a
/// new name per request; after the reads). wrk with 16 connections for 10 s per figure, two rounds alternating the
/// hubs after a 3 s warm-up round of each call on each hub. JupyterHub is called at its hub port (no proxy hop) with
/// WARN logging, its best case; ours at the host, with the admin token.
/// </summary>
internal static class HubApiBench
{
    private const int Connections = 16;
    private const int Seconds = 10;
    private const int WarmUpSeconds = 3;

    public static async Task RunAsync(PlatformFactory host)
    {
        await using var jupyterHub = await JupyterHubServer.StartAsync(logLevel: "WARN");
        var hubs = new (string Name, Uri Address, string Token)[]
        {
            ("DevPlatform", host.BaseAddress, PlatformFactory.AdminToken),
            ("JupyterHub", jupyterHub.HubAddress, JupyterHubServer.AdminToken),
        };
        foreach (var hub in hubs)
        {
            await SeedAsync(hub.Address, hub.Token);
        }

        var script = Path.Combine(Path.GetTempPath(), $"devplatform-create-users-{Guid.NewGuid():N}.lua");
        var results = new Dictionary<(string Hub, string Call), List<Wrk.Result>>();
        try
        {
            // Reads first, so every page is one of 1,000 users; then creates. Round 0 warms both hubs up (JIT, caches,
            // pools) and is not recorded.
            foreach (var creates in new[] { false, true })
            {
                for (var round = 0; round <= 2; round++)
                {
                    var seconds = round == 0 ? WarmUpSeconds : Seconds;
                    foreach (var (name, address, token) in hubs)
                    {
                        var auth = $"Authorization: token {token}";
                        var baseUrl = address.ToString().TrimEnd('/');
                        void Measure(string call, Wrk.Result result)
                        {
                            if (round > 0)
                            {
                                Record(results, name, call, result);
                            }
                        }

                        if (!creates)
                        {
                            Measure("list users (200 of 1,000)", Wrk.Run($"{baseUrl}/hub/api/users?offset=200&limit=200", Connections, seconds, auth, "Accept: application/jupyterhub-pagination+json"));
                            Measure("get user", Wrk.Run($"{baseUrl}/hub/api/users/user0500", Connections, seconds, auth));
                            continue;
                        }

                        await File.WriteAllTextAsync(script, CreateUsersScript($"r{round}"));
                        Measure("create user", Wrk.RunScript($"{baseUrl}/", Connections, seconds, script, auth));
                        await File.WriteAllTextAsync(script, CreateUsersScript($"s{round}"));
                        Measure("create user, one client", Wrk.RunScript($"{baseUrl}/", 1, seconds, script, auth));
                        await File.WriteAllTextAsync(script, CreateBatchesScript($"b{round}"));
                        Measure("create 100 users in one call, one client", Wrk.RunScript($"{baseUrl}/", 1, seconds, script, auth, "Content-Type: application/json"));
                    }
                }
            }
        }
        finally
        {
            File.Delete(script);
        }

        foreach (var call in results.Keys.Select(k => k.Call).Distinct())
        {
            var ours = results[("DevPlatform", call)];
            var theirs = results[("JupyterHub", call)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"hub api {call}: DevPlatform {Describe(ours)} | JupyterHub {Describe(theirs)} | " +
                $"{ours.Average(r => r.RequestsPerSecond) / theirs.Average(r => r.RequestsPerSecond):0.0}× the requests/s"));
        }
    }

    private static void Record(Dictionary<(string, string), List<Wrk.Result>> results, string hub, string call, Wrk.Result result)
    {
        if (!results.TryGetValue((hub, call), out var list))
        {
            results[(hub, call)] = list = [];
        }

        list.Add(result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {hub} {call}: {result.RequestsPerSecond:0} req/s p50 {result.P50Ms:0.00} ms p99 {result.P99Ms:0.00} ms (non-2xx {result.Errors})"));
    }

    private static string Describe(List<Wrk.Result> runs) => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(" / ", runs.Select(r => r.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture)))} req/s, p99 {string.Join(" / ", runs.Select(r => r.P99Ms.ToString("0.0", CultureInfo.InvariantCulture)))} ms");

    /// <summary>user0001 … user1000, created through each hub's own bulk API in batches of 100.</summary>
    private static async Task SeedAsync(Uri address, string token)
    {
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        for (var batch = 0; batch < 10; batch++)
        {
            var names = Enumerable.Range((batch * 100) + 1, 100).Select(i => $"user{i:0000}");
            using var body = new StringContent(JsonSerializer.Serialize(new { usernames = names }), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri("/hub/api/users", UriKind.Relative), body);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Each request creates 100 users no one has, through the bulk call (one connection, so one wrk thread).</summary>
    private static string CreateBatchesScript(string round) => $$"""
        local n = 0
        function request()
          n = n + 1
          local names = {}
          for i = 1, 100 do
            names[i] = '"{{round}}n' .. n .. 'i' .. i .. '"'
          end
          return wrk.format("POST", "/hub/api/users", nil, '{"usernames": [' .. table.concat(names, ",") .. ']}')
        end
        """;

    /// <summary>Each request creates a user no one has (round, wrk thread and a counter in the name).</summary>
    private static string CreateUsersScript(string round) => $$"""
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("tid", threads)
        end
        local n = 0
        function request()
          n = n + 1
          return wrk.format("POST", "/hub/api/users/new{{round}}t" .. tid .. "n" .. n)
        end
        """;
}
