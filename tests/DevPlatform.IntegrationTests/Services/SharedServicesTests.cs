using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Services;

/// <summary>
/// A shared service run by the local backend — a real HTTP experiment tracker keeping its runs on disk — defined by an
/// admin, reached through /services/{name}/ by members of its groups only, restarted when it dies with its data kept,
/// and announced to the environments of its groups alone.
/// </summary>
public sealed class SharedServicesTests : LiveHostTest
{
    public static readonly string Tracker = Path.Combine(AppContext.BaseDirectory, "Assets", "tracker_service.py");

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Services:SuperviseSeconds"] = "1" };

    public static object TrackerSpec(string[] groups) => new
    {
        name = "tracker", displayName = "Experiment tracker", image = "ghcr.io/mlflow/mlflow:v2.17.0", command = new[] { "python3", Tracker }, pool = "cpu",
        allowedGroups = groups, environment = new Dictionary<string, string> { ["TRACKER_DATA"] = "{data}" },
        secrets = new Dictionary<string, string> { ["TRACKER_ADMIN_PASSWORD"] = "s3cret-value" },
        variables = new Dictionary<string, string> { ["MLFLOW_TRACKING_URI"] = "{url}", ["MLFLOW_TRACKING_TOKEN"] = "{token}" },
    };

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = "other" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/other/policy", new { allowedProfiles = new[] { "web" } }));
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "carol" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/other/members/carol", new { role = "member" }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task AService_RunsForItsGroups_IsRestartedWhenItDies_AndKeepsItsData()
    {
        var created = await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/services", TrackerSpec(["lab"])), HttpStatusCode.Created);
        Assert.Equal("running", created.GetProperty("state").GetString());
        Assert.Equal("(hidden)", created.GetProperty("spec").GetProperty("secrets").GetProperty("TRACKER_ADMIN_PASSWORD").GetString());
        Assert.DoesNotContain("s3cret-value", await (await Admin.GetAsync(new Uri("/api/audit?resourceType=service", UriKind.Relative))).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Created, (await Alice.Client.PostAsJsonAsync("/services/tracker/api/runs", new { name = "baseline", loss = 0.42 })).StatusCode);
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/services/tracker/whoami");
        spoofed.Headers.Add("X-DevPlatform-User", "admin");
        var forwarded = await (await Alice.Client.SendAsync(spoofed)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("alice", forwarded.GetProperty("X-DevPlatform-User").GetString()); // the hub says who it is; a caller cannot
        Assert.Equal(Host.BaseAddress.Authority, forwarded.GetProperty("X-Forwarded-Host").GetString()); // served at / behind the hub's proxy

        var pid = await PidAsync();
        Process.Kill(pid);
        var restarted = await Eventually.UntilAsync(async () => await Admin.GetFromJsonAsync<JsonElement>("/api/services/tracker"),
            s => s.GetProperty("state").GetString() == "running" && s.GetProperty("restarts").GetInt32() == 1, TimeSpan.FromSeconds(60), "the tracker to be restarted");
        Assert.NotEqual(pid, await PidAsync());
        var events = (await Admin.GetFromJsonAsync<JsonElement>("/api/services/tracker/events")).EnumerateArray().Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Contains(events, e => e!.StartsWith("The workload ended", StringComparison.Ordinal));
        Assert.Contains("Starting again (restart 1)", events);
        var runs = await Alice.Client.GetFromJsonAsync<JsonElement>("/services/tracker/api/runs");
        Assert.Equal("baseline", Assert.Single(runs.EnumerateArray()).GetProperty("name").GetString()); // its data outlived the process
        Assert.Contains("GET /api/runs", await Admin.GetStringAsync("/api/services/tracker/logs"), StringComparison.Ordinal);
        Assert.Equal(1, restarted.GetProperty("restarts").GetInt32());

        await ApiAssert.OkAsync(await Admin.PostAsync(new Uri("/api/services/tracker/stop", UriKind.Relative), null));
        await ApiAssert.ProblemAsync(await Alice.Client.GetAsync(new Uri("/services/tracker/api/runs", UriKind.Relative)), HttpStatusCode.ServiceUnavailable);
        Assert.False(Process.Alive(pid));
    }

    /// <summary>The hub token the user's 'nb' environment was started with, as the echo workload reports it (the database keeps only its hash).</summary>
    private async Task<string> WorkloadTokenAsync(Browser owner, string user)
    {
        await EnvironmentCatalog.WaitForStateAsync(Admin, user, "nb", "running");
        return (await ApiAssert.OkAsync((await owner.FollowAsync($"/user/{user}/nb/")).Response)).GetProperty("hubToken").GetString()!;
    }

    [Fact]
    public async Task OnlyMembersOfItsGroups_ReachIt_AndOnlyTheirEnvironmentsAreTold()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/services", TrackerSpec(["lab"])), HttpStatusCode.Created);
        using var carol = new Browser(Host.BaseAddress);
        await carol.LoginAsync("carol");
        var refused = await ApiAssert.ProblemAsync(await carol.Client.GetAsync(new Uri("/services/tracker/api/runs", UriKind.Relative)), HttpStatusCode.Forbidden);
        Assert.Contains("carol is not in a group that may use 'tracker' (lab)", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress };
        var login = await anonymous.GetAsync(new Uri("/services/tracker/api/runs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("/hub/login?next=", login.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Empty((await carol.Client.GetFromJsonAsync<JsonElement>("/api/me/services")).EnumerateArray());
        Assert.Equal("tracker", (await Alice.Client.GetFromJsonAsync<JsonElement>("/api/me/services"))[0].GetProperty("name").GetString());

        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "nb", profile = "web" }), HttpStatusCode.Accepted);
        await ApiAssert.OkAsync(await carol.Client.PostAsJsonAsync("/api/users/carol/environments", new { name = "nb", profile = "web" }), HttpStatusCode.Accepted);
        var alices = await SpecEnvironmentAsync("alice");
        Assert.Equal($"{Host.BaseAddress}services/tracker/", alices["MLFLOW_TRACKING_URI"]);
        Assert.Equal("{token}", alices["MLFLOW_TRACKING_TOKEN"]); // the backend puts the environment's own hub token here
        Assert.False((await SpecEnvironmentAsync("carol")).ContainsKey("MLFLOW_TRACKING_URI"));

        // What an environment does with them: its hub token (as the workload received it) opens the service for its owner's groups only.
        using var fromEnvironment = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress };
        fromEnvironment.DefaultRequestHeaders.Authorization = new("Bearer", await WorkloadTokenAsync(Alice, "alice"));
        Assert.Equal(HttpStatusCode.OK, (await fromEnvironment.GetAsync(new Uri("/services/tracker/api/runs", UriKind.Relative))).StatusCode);
        fromEnvironment.DefaultRequestHeaders.Authorization = new("Bearer", await WorkloadTokenAsync(carol, "carol"));
        Assert.Equal(HttpStatusCode.Forbidden, (await fromEnvironment.GetAsync(new Uri("/services/tracker/api/runs", UriKind.Relative))).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync(new Uri("/api/services/tracker", UriKind.Relative))).StatusCode); // stops its process
        await ApiAssert.ProblemAsync(await Alice.Client.GetAsync(new Uri("/services/tracker/api/runs", UriKind.Relative)), HttpStatusCode.NotFound);
        Assert.Contains("reserved for shared services", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "svc--tracker" }), "name"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AService_SignsUsersInThroughTheHubsOAuth_AsJupyterHubServicesDo()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/services", TrackerSpec(["lab"])), HttpStatusCode.Created);
        var settings = await Alice.Client.GetFromJsonAsync<JsonElement>("/services/tracker/hub-settings");
        Assert.Equal("service-tracker", settings.GetProperty("JUPYTERHUB_CLIENT_ID").GetString());
        Assert.Equal("/services/tracker/oauth_callback", settings.GetProperty("JUPYTERHUB_OAUTH_CALLBACK_URL").GetString());
        Assert.Equal($"{Host.BaseAddress}hub/api", settings.GetProperty("JUPYTERHUB_API_URL").GetString());
        var secret = await ClientSecretAsync(); // what the service holds as JUPYTERHUB_API_TOKEN

        const string authorize = "/hub/api/oauth2/authorize?client_id=service-tracker&redirect_uri=/services/tracker/oauth_callback&response_type=code&state=s1";
        using var alice = new Browser(Host.BaseAddress);
        await alice.LoginAsync("alice");
        var redirect = await alice.Client.GetAsync(new Uri(authorize, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var callback = redirect.Headers.Location!.OriginalString;
        Assert.StartsWith("/services/tracker/oauth_callback?code=", callback, StringComparison.Ordinal);
        var code = Uri.UnescapeDataString(callback.Split("code=")[1].Split('&')[0]);

        using var service = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.BaseAddress };
        var exchange = new Dictionary<string, string>
        {
            ["client_id"] = "service-tracker", ["client_secret"] = secret, ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = "/services/tracker/oauth_callback",
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.PostAsync(new Uri("/hub/api/oauth2/token", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string>(exchange) { ["client_secret"] = "wrong" }))).StatusCode);
        var token = await ApiAssert.OkAsync(await service.PostAsync(new Uri("/hub/api/oauth2/token", UriKind.Relative), new FormUrlEncodedContent(exchange)));
        service.DefaultRequestHeaders.Authorization = new("token", token.GetProperty("access_token").GetString());
        var who = await service.GetFromJsonAsync<JsonElement>("/hub/api/user");
        Assert.Equal("alice", who.GetProperty("name").GetString());
        Assert.Equal(["lab"], who.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await service.PostAsync(new Uri("/hub/api/oauth2/token", UriKind.Relative), new FormUrlEncodedContent(exchange))).StatusCode); // a code is used once
        var refused = await service.GetAsync(new Uri("/user/alice/anything/", UriKind.Relative)); // the service's token for alice opens nothing of hers
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/hub/login", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);

        using var carol = new Browser(Host.BaseAddress);
        await carol.LoginAsync("carol");
        Assert.Equal(HttpStatusCode.Forbidden, (await carol.Client.GetAsync(new Uri(authorize, UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync(new Uri("/api/services/tracker", UriKind.Relative))).StatusCode);
    }

    private async Task<string> ClientSecretAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<DevPlatform.Services.ServiceStore>();
        var db = scope.ServiceProvider.GetRequiredService<global::DevPlatform.Persistence.PlatformDbContext>();
        return store.SecretsOf(db.SharedServices.Single(s => s.Name == "tracker"))["JUPYTERHUB_API_TOKEN"];
    }

    private async Task<Dictionary<string, string>> SpecEnvironmentAsync(string user)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<global::DevPlatform.Persistence.PlatformDbContext>();
        var environment = db.Environments.Single(e => e.User.Name == user && e.Name == "nb");
        return DevPlatform.Environments.EnvironmentLifecycle.SpecOf(environment).Environment.ToDictionary(v => v.Key, v => v.Value);
    }

    private async Task<int> PidAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<global::DevPlatform.Persistence.PlatformDbContext>();
        var state = db.SharedServices.Single(s => s.Name == "tracker").BackendState!;
        return JsonDocument.Parse(state).RootElement.GetProperty("Pid").GetInt32();
    }

    private static class Process
    {
        public static void Kill(int pid) => System.Diagnostics.Process.GetProcessById(pid).Kill();

        public static bool Alive(int pid)
        {
            try
            {
                return !System.Diagnostics.Process.GetProcessById(pid).HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
    }
}
