using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>The real host in memory, on a fresh PostgreSQL database of its own, with chosen plugins and settings.</summary>
public sealed class PlatformFactory(string connectionString, string pluginDirectory, IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<Program>
{
    public const string AdminToken = "test-admin-token";

    public string ConnectionString { get; } = connectionString;

    public static async Task<PlatformFactory> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null, string[]? plugins = null) =>
        new(await (await TestPostgres.SharedAsync()).CreateDatabaseAsync(), PluginFolder.With(plugins ?? PluginFolder.BuiltIn), settings ?? new Dictionary<string, string?>());

    /// <summary>
    /// A host on a real loopback port (environments call back into the hub), with dev login on and its
    /// local backend rooted in a folder of its own.
    /// </summary>
    /// <param name="connectionString">A database of the test's own (e.g. on a PostgreSQL it stops); a fresh one on the shared cluster otherwise.</param>
    public static async Task<PlatformFactory> CreateLiveAsync(IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, string? connectionString = null)
    {
        var port = TestPostgres.FreePort();
        var all = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Auth:Providers:0"] = "dev",
            ["Compute:Local:Root"] = TestFolders.Create("devplatform-local-"),
            ["Storage:Backups:Directory"] = TestFolders.Create("devplatform-backups-"),
            ["Compute:Local:StopGraceSeconds"] = "3",
            ["Environments:ActivityFlushSeconds"] = "1",
            ["Environments:ReconcileSeconds"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value?.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal); // settings that name the host's own address
        }

        var factory = connectionString is null ? await CreateAsync(all) : new PlatformFactory(connectionString, PluginFolder.With(PluginFolder.BuiltIn), all);
        factory.TestServices = services;
        factory.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, port));
        factory.StartServer();
        factory.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        return factory;
    }

    /// <summary>Replacements applied after the host's own registrations (a clock, a test job); set before first use.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    /// <summary>Where a live host listens.</summary>
    public Uri BaseAddress { get; private set; } = new("http://localhost");

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.BaseAddress = BaseAddress.Host == "localhost" ? client.BaseAddress : BaseAddress;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Platform", ConnectionString);
        builder.UseSetting("Platform:AdminToken", AdminToken);
        builder.UseSetting("Plugins:Directory", pluginDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (TestServices is { } services)
        {
            builder.ConfigureTestServices(services);
        }
    }
}
