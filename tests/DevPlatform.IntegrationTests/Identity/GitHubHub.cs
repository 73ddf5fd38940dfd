using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Identity;

/// <summary>A live hub with the github and dandi providers on, against a local GitHub (and DANDI archive) that answers as documented.</summary>
public sealed class GitHubHub : IAsyncLifetime
{
    public PlatformFactory Host { get; private set; } = null!;

    public FakeGitHub GitHub { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        GitHub = await FakeGitHub.StartAsync();
        GitHub.Users["Octo-Cat"] = new(101, "Octo-Cat", null, ["astro", "bio", "research-org"], [("research-org", "ml"), ("bio", "imaging")]);
        GitHub.Users["stranger"] = new(102, "stranger", "stranger@example.org", ["elsewhere"], []);
        GitHub.Users["boss"] = new(103, "boss", "boss@example.org", [], []);
        GitHub.Users["octo"] = new(104, "octo", null, [], []);
        var settings = GitHub.Settings("github");
        settings["Auth:Providers:1"] = "dandi";
        settings["Auth:GitHub:AllowedOrganizations:0"] = "research-org";
        settings["Auth:GitHub:AdminUsers:0"] = "boss";
        settings["Auth:GitHub:GroupRules:research-org/ml"] = "lab";
        Host = await PlatformFactory.CreateLiveAsync(settings);
        Admin = Host.CreateAdminClient();
        var github = JsonSerializer.SerializeToNode(EnvironmentCatalog.WebProfile("gh"))!.AsObject();
        github["identityVariables"] = new JsonArray("GITHUB_TOKEN", "GITHUB_USER", "GITHUB_EMAIL");
        await EnvironmentCatalog.SeedAsync(Admin, null, github);
    }

    /// <summary>Signs in through the provider as the GitHub account; returns the final response (/api/me when admitted).</summary>
    public async Task<HttpResponseMessage> SignInAsync(Browser browser, string provider, string login)
    {
        GitHub.NextLogin = login;
        var (response, _) = await browser.FollowAsync($"/hub/login/{provider}?next={Uri.EscapeDataString("/api/me")}");
        return response;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await GitHub.DisposeAsync();
    }
}
