using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
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

    private const string DefaultServerUrl = "The default server is the environment named Hub:DefaultServerName ('default'), reached at /user/{name}/default/, not /user/{name}/.";
    private const string UserOptions = "user_options names the profile the server runs, also when it was the default one (JupyterHub shows only what the request gave).";
    private const string State = "state is the compute backend's own record (as each JupyterHub spawner has its own): the local backend's process, port and cgroup.";

    [Fact]
    public async Task ScriptedSequence_AnswersAsJupyterHub30Does()
    {
        var jupyterHub = JupyterHubServer.StartAsync();
        var platform = PlatformFactory.CreateLiveAsync(new Dictionary<string, string?> { ["Hub:DefaultProfile"] = "jupyter", ["Platform:AdminName"] = "admin-svc" });
        await using var theirs = await jupyterHub;
        await using var ours = await platform;
        await SeedAsync(ours.CreateAdminClient());
        using var jupyter = new HubUnderTest("JupyterHub", theirs.Address, JupyterHubServer.AdminToken);
        using var devPlatform = new HubUnderTest("DevPlatform", ours.BaseAddress, PlatformFactory.AdminToken);
        Assert.Equal(201, (await jupyter.SendAsync(new HubCall("seed", "POST", "/groups/staff"))).Status);

        var differences = new List<string>();
        foreach (var step in HubScript.Steps)
        {
            if (step is HubWait wait)
            {
                await Task.WhenAll(WaitAsync(jupyter, wait), WaitAsync(devPlatform, wait));
                continue;
            }

            var call = (HubCall)step;
            if (call.Only is not null)
            {
                Assert.InRange((await (call.Only == jupyter.Name ? jupyter : devPlatform).SendAsync(call)).Status, 200, 299);
                continue;
            }

            var (a, b) = (await devPlatform.SendAsync(call), await jupyter.SendAsync(call));
            output.WriteLine($"{call.Label}: {a.Status} / {b.Status}\n  ours:   {Clip(a.Text)}\n  theirs: {Clip(b.Text)}");
            var sameStatus = a.Status == b.Status || (call.Statuses?.Contains(a.Status) == true && call.Statuses.Contains(b.Status));
            if (!sameStatus)
            {
                differences.Add($"{call.Label} status: {a.Status} here, {b.Status} in JupyterHub");
            }

            HubAnswers.Compare(call.Label, a.Body, b.Body, "$", differences);
        }

        var unexpected = differences.Where(d => !Known.Keys.Any(k => d.StartsWith(k, StringComparison.Ordinal))).ToList();
        var gone = Known.Keys.Where(k => !differences.Any(d => d.StartsWith(k, StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, "Differences from JupyterHub 3.0 that are neither fixed nor documented:\n" + string.Join('\n', unexpected));
        Assert.True(gone.Count == 0, "Listed differences that no longer happen (remove them here and in docs/jupyterhub-compatibility.md):\n" + string.Join('\n', gone));
    }

    /// <summary>Our side's catalog: a CPU pool, the 'jupyter' profile (stock jupyterhub-singleuser), group 'staff' allowed to launch it.</summary>
    private static async Task SeedAsync(HttpClient admin)
    {
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/pools", new { name = "cpu", acceleratorKind = "cpu", onDemandHourlyPrice = 0.2m }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/profiles", new
        {
            name = "jupyter", pool = "cpu", kind = "jupyter",
            images = new[] { new { name = "scipy", reference = "quay.io/jupyter/scipy-notebook:2025-01-06", @default = true } },
            sizes = new[] { new { name = "small", cpuRequest = "500m", cpuLimit = "1", memoryRequest = "512Mi", memoryLimit = "1Gi" } },
        }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/groups", new { name = "staff" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PutAsJsonAsync("/api/groups/staff/policy", new { allowedProfiles = new[] { "jupyter" }, maxRunningEnvironmentsPerUser = 5 }));
    }

    private static Task<JsonNode?> WaitAsync(HubUnderTest hub, HubWait wait) =>
        Eventually.UntilAsync(
            async () => (await hub.SendAsync(new HubCall(wait.Label, "GET", $"/users/{wait.User}"))).Body,
            user => user?["servers"]?[wait.Server] is JsonObject server ? wait.Ready && server["ready"]!.GetValue<bool>() : !wait.Ready,
            TimeSpan.FromSeconds(120), $"{hub.Name}: {wait.Label}");

    private static string Clip(string text) => text.Length > 600 ? text[..600] + "…" : text;
}
