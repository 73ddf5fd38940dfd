using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>The real host in memory, on a fresh PostgreSQL database of its own, with chosen plugins and settings.</summary>
public sealed class PlatformFactory(string connectionString, string pluginDirectory, IReadOnlyDictionary<string, string?> settings)
    : WebApplicationFactory<Program>
{
    public const string AdminToken = "test-admin-token";

    public string ConnectionString { get; } = connectionString;

    public static async Task<PlatformFactory> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null, string[]? plugins = null) =>
        new(await (await TestPostgres.SharedAsync()).CreateDatabaseAsync(), PluginFolder.With(plugins ?? PluginFolder.BuiltIn), settings ?? new Dictionary<string, string?>());

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
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
    }
}
