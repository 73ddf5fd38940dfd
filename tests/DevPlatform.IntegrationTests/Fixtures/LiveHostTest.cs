using System.Net.Http.Json;
using System.Text.Json;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// A test class with a live host (real loopback port), an admin client, the environment catalog and
/// 'alice' signed in; at the end every environment is deleted, so no workload outlives the class.
/// </summary>
public abstract class LiveHostTest : IAsyncLifetime
{
    protected PlatformFactory Host { get; private set; } = null!;

    protected HttpClient Admin { get; private set; } = null!;

    protected Browser Alice { get; private set; } = null!;

    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>Service replacements for the host (e.g. a clock), applied after its own registrations.</summary>
    protected virtual Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? Services => null;

    public async Task InitializeAsync()
    {
        Host = await PlatformFactory.CreateLiveAsync(Settings, Services);
        Admin = Host.CreateAdminClient();
        await SeedAsync();
        Alice = new Browser(Host.BaseAddress);
        await Alice.LoginAsync("alice");
    }

    public async Task DisposeAsync()
    {
        var all = await Admin.GetFromJsonAsync<JsonElement>("/api/environments?limit=500");
        foreach (var environment in all.GetProperty("items").EnumerateArray())
        {
            await Admin.DeleteAsync(new Uri($"/api/users/{environment.GetProperty("user").GetString()}/environments/{environment.GetProperty("name").GetString()}", UriKind.Relative));
        }

        Alice.Dispose();
        await Host.DisposeAsync();
    }

    protected virtual Task SeedAsync() => EnvironmentCatalog.SeedAsync(Admin);
}
