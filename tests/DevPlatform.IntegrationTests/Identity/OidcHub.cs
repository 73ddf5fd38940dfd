using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Identity;

/// <summary>A live hub with the oidc provider on (as for Cognito), and the real oidc-provider it trusts.</summary>
public sealed class OidcHub : IAsyncLifetime
{
    public PlatformFactory Host { get; private set; } = null!;

    public OidcServer Provider { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var port = OidcServer.ReservePort();
        Host = await PlatformFactory.CreateLiveAsync(new Dictionary<string, string?>
        {
            ["Auth:Providers:0"] = "oidc",
            ["Auth:Oidc:Authority"] = $"http://127.0.0.1:{port}",
            ["Auth:Oidc:ClientId"] = OidcServer.ClientId,
            ["Auth:Oidc:ClientSecret"] = OidcServer.ClientSecret,
            ["Auth:Oidc:RequireHttpsMetadata"] = "false",
            ["Auth:Oidc:AdminGroups:0"] = "hub-admins",
            ["Auth:Oidc:GroupRules:ml-researchers"] = "ml",
            ["Auth:Oidc:GroupRules:imaging"] = "imaging",
        });
        Admin = Host.CreateAdminClient();
        foreach (var group in new[] { "ml", "imaging" })
        {
            await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = group }), System.Net.HttpStatusCode.Created);
        }

        Provider = await OidcServer.StartAsync(port, new Uri(Host.BaseAddress, "/hub/login/oidc/callback"));
    }

    public async Task DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Host.DisposeAsync();
    }
}
