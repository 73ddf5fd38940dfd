using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DevPlatform.IntegrationTests.Fixtures;
using Xunit.Abstractions;

namespace DevPlatform.IntegrationTests.Hub;

/// <summary>
/// The differential test: <see cref="HubScript"/> against a real JupyterHub 3.0 and against DevPlatform, call by call.
/// Every difference in status, keys, types or deterministic values must be one of <see cref="Known"/>, each of which
/// docs/jupyterhub-compatibility.md explains; a new difference, or a listed one that no longer happens, fails.
/// </summary>
public sealed class JupyterHubCompatibilityTests(ITestOutputHelper output)
{
    /// <summary>Differences by "{label} {path}" prefix, with the reason (the same as in docs/jupyterhub-compatibility.md).</summary>
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["refused user "] = "JupyterHub creates the user before it checks the body it then refuses with 400; DevPlatform stores nothing on a 400.",
        ["progress ready $[0].message"] = DefaultServerUrl,
        ["user with server $.server"] = DefaultServerUrl,
        ["list ready users $[0].server"] = DefaultServerUrl,
        ["list active users $[0].server"] = DefaultServerUrl,
        ["user with two servers $.server"] = DefaultServerUrl,
        ["proxy $: keys missing [/user/alice/], extra [/user/alice/default/]"] = DefaultServerUrl,
        ["user with server $.servers..user_options"] = UserOptions,
        ["list ready users $[0].servers..user_options"] = UserOptions,
        ["list active users $[0].servers..user_options"] = UserOptions,
        ["user with two servers $.servers..user_options"] = UserOptions,
        ["user with two servers $.servers.nb2.user_options"] = UserOptions,
        ["user with server $.servers..state"] = State,
        ["list ready users $[0].servers..state"] = State,
        ["list active users $[0].servers..state"] = State,
        ["user with two servers $.servers..state"] = State,
        ["user with two servers $.servers.nb2.state"] = State,
    };

    /// <summary>
    /// Differences for users created through the API in <see cref="HubScript.NewUsersStartServers"/> ("[*]" stands for any
    /// index), with the reason (as in docs/jupyterhub-compatibility.md).
    /// </summary>
    private static readonly Dictionary<string, string> KnownForNewUsers = new(StringComparer.Ordinal)
    {
        ["new user $.groups"] = DefaultGroup,
        ["new user with server $.groups"] = DefaultGroup,
        ["new user after stop $.groups"] = DefaultGroup,
        ["new users $[*].groups"] = DefaultGroup,
        ["crowd member with server $.groups"] = DefaultGroup,
        ["crowd after stop $[*].groups"] = DefaultGroup,
        ["new user progress $.message"] = DefaultServerUrl,
        ["crowd progress $.message"] = DefaultServerUrl,
        ["new user with server $.server"] = DefaultServerUrl,
        ["crowd member with server $.server"] = DefaultServerUrl,
        ["new user with server $.servers..user_options"] = UserOptions,
        ["crowd member with server $.servers..user_options"] = UserOptions,
        ["new user with server $.servers..state"] = State,
        ["crowd member with server $.servers..state"] = State,
    };

    private const string DefaultServerUrl = "The default server is the environment named Hub:DefaultServerName ('default'), reached at /user/{name}/default/, not /user/{name}/.";
    private const string UserOptions = "user_options names the profile the server runs, also when it was the default one (JupyterHub shows only what the request gave).";
    private const string State = "state is the compute backend's own record (as each JupyterHub spawner has its own): the local backend's process, port and cgroup.";
    private const string DefaultGroup = "A user created through the API joins Auth:DefaultGroup ('everyone' here), whose policy lets them start the default server.";

    [Fact]
    public async Task ScriptedSequence_AnswersAsJupyterHub30Does()
    {
        var jupyterHub = JupyterHubServer.StartAsync();
        var platform = PlatformFactory.CreateLiveAsync(new Dictionary<string, string?> { ["Hub:DefaultProfile"] = "jupyter", ["Platform:AdminName"] = "admin-svc" });
        await using var theirs = await jupyterHub;
        await using var ours = await platform;
        await SeedAsync(ours.CreateAdminClient(), "staff");
        using var jupyter = new HubUnderTest("JupyterHub", theirs.Address, JupyterHubServer.AdminToken);
        using var devPlatform = new HubUnderTest("DevPlatform", ours.BaseAddress, PlatformFactory.AdminToken);
        Assert.Equal(201, (await jupyter.SendAsync(new HubCall("seed", "POST", "/groups/staff"))).Status);
        AssertOnlyKnown(await RunAsync(HubScript.Steps, devPlatform, jupyter), Known);
    }

    /// <summary>
    /// JupyterHub lets every user start the default server; here a user an admin or a migration script creates through the
    /// API joins Auth:DefaultGroup, so the same script starts, follows and stops their servers on both hubs.
    /// </summary>
    [Fact]
    public async Task UsersCreatedThroughTheApi_StartFollowAndStopServersAsInJupyterHub30()
    {
        var jupyterHub = JupyterHubServer.StartAsync();
        var platform = PlatformFactory.CreateLiveAsync(new Dictionary<string, string?>
        {
            ["Auth:DefaultGroup"] = "everyone", ["Platform:AdminName"] = "admin-svc",
        });
        await using var theirs = await jupyterHub;
        await using var ours = await platform;
        await SeedAsync(ours.CreateAdminClient(), "everyone");
        using var jupyter = new HubUnderTest("JupyterHub", theirs.Address, JupyterHubServer.AdminToken);
        using var devPlatform = new HubUnderTest("DevPlatform", ours.BaseAddress, PlatformFactory.AdminToken);
        AssertOnlyKnown(await RunAsync(HubScript.NewUsersStartServers, devPlatform, jupyter), KnownForNewUsers);
    }

    /// <summary>Each step on both hubs; every difference in status or answer, one line each.</summary>
    private async Task<List<string>> RunAsync(object[] steps, HubUnderTest devPlatform, HubUnderTest jupyter)
    {
        var differences = new List<string>();
        foreach (var step in steps)
        {
            switch (step)
            {
                case HubWait wait:
                    await Task.WhenAll(WaitAsync(jupyter, wait), WaitAsync(devPlatform, wait));
                    break;
                case HubCall { Only: { } only } call:
                    Assert.InRange((await (only == jupyter.Name ? jupyter : devPlatform).SendAsync(call)).Status, 200, 299);
                    break;
                case HubCall call:
                    Compare(call, await devPlatform.SendAsync(call), await jupyter.SendAsync(call), differences);
                    break;
                case HubTogether together:
                    var ourAnswers = await Task.WhenAll(together.Calls.Select(devPlatform.SendAsync));
                    var theirAnswers = await Task.WhenAll(together.Calls.Select(jupyter.SendAsync));
                    for (var i = 0; i < together.Calls.Length; i++)
                    {
                        Compare(together.Calls[i], ourAnswers[i], theirAnswers[i], differences);
                    }

                    break;
            }
        }

        return differences;
    }

    private void Compare(HubCall call, (int Status, JsonNode? Body, string Text) a, (int Status, JsonNode? Body, string Text) b, List<string> differences)
    {
        output.WriteLine($"{call.Label} {call.Path}: {a.Status} / {b.Status}\n  ours:   {Clip(a.Text)}\n  theirs: {Clip(b.Text)}");
        var sameStatus = a.Status == b.Status || (call.Statuses?.Contains(a.Status) == true && call.Statuses.Contains(b.Status));
        if (!sameStatus)
        {
            differences.Add($"{call.Label} status: {a.Status} here, {b.Status} in JupyterHub");
        }

        HubAnswers.Compare(call.Label, a.Body, b.Body, "$", differences);
    }

    /// <summary>Fails on a difference that is not listed, and on a listed one that no longer happens.</summary>
    private static void AssertOnlyKnown(List<string> differences, Dictionary<string, string> known)
    {
        var unexpected = differences.Where(d => !known.Keys.Any(k => Matches(d, k))).ToList();
        var gone = known.Keys.Where(k => !differences.Any(d => Matches(d, k))).ToList();
        Assert.True(unexpected.Count == 0, "Differences from JupyterHub 3.0 that are neither fixed nor documented:\n" + string.Join('\n', unexpected));
        Assert.True(gone.Count == 0, "Listed differences that no longer happen (remove them here and in docs/jupyterhub-compatibility.md):\n" + string.Join('\n', gone));
    }

    /// <summary>A difference is listed when it starts with the key, "[*]" in the key standing for any index.</summary>
    private static bool Matches(string difference, string key) =>
        Regex.IsMatch(difference, "^" + Regex.Escape(key).Replace(@"\[\*]", @"\[\d+]", StringComparison.Ordinal), RegexOptions.CultureInvariant);

    /// <summary>Our side's catalog: a CPU pool, the 'jupyter' profile (stock jupyterhub-singleuser), a group allowed to launch it.</summary>
    private static async Task SeedAsync(HttpClient admin, string group)
    {
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/pools", new { name = "cpu", acceleratorKind = "cpu", onDemandHourlyPrice = 0.2m }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/profiles", new
        {
            name = "jupyter", pool = "cpu", kind = "jupyter",
            images = new[] { new { name = "scipy", reference = "quay.io/jupyter/scipy-notebook:2025-01-06", @default = true } },
            sizes = new[] { new { name = "small", cpuRequest = "500m", cpuLimit = "1", memoryRequest = "512Mi", memoryLimit = "1Gi" } },
        }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/groups", new { name = group }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PutAsJsonAsync($"/api/groups/{group}/policy", new { allowedProfiles = new[] { "jupyter" }, maxRunningEnvironmentsPerUser = 5 }));
    }

    private static Task<JsonNode?> WaitAsync(HubUnderTest hub, HubWait wait) =>
        Eventually.UntilAsync(
            async () => (await hub.SendAsync(new HubCall(wait.Label, "GET", $"/users/{wait.User}"))).Body,
            user => user?["servers"]?[wait.Server] is JsonObject server ? wait.Ready && server["ready"]!.GetValue<bool>() : !wait.Ready,
            TimeSpan.FromSeconds(120), $"{hub.Name}: {wait.Label}");

    private static string Clip(string text) => text.Length > 600 ? text[..600] + "…" : text;
}
