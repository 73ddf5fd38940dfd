namespace DevPlatform.AppHost;

/// <summary>
/// The platform project twice: <c>migrate</c> (runs to completion first) and <c>platform</c> (the host on its fixed
/// loopback port, healthy when <c>/readyz</c> says so), both with the database reference and the local settings:
/// dev login, the default catalog, the local process backend and all state under the state folder.
/// </summary>
internal static class PlatformResources
{
    public static IResourceBuilder<ProjectResource> AddPlatform(this IDistributedApplicationBuilder builder, AppHostOptions options, LocalSecrets secrets, PlatformDatabase database)
    {
        var migrate = builder.AddProject<Projects.DevPlatform_Platform>("migrate", launchProfileName: null)
            .WithArgs("migrate")
            .WithReference(database.ConnectionString, connectionName: "Platform")
            .WithEnvironment(context => Configure(context.EnvironmentVariables, options, secrets));
        var platform = builder.AddProject<Projects.DevPlatform_Platform>("platform", launchProfileName: null)
            .WithHttpEndpoint(port: options.Port, name: "http", isProxied: false)
            .WithHttpHealthCheck("/readyz")
            .WithReference(database.ConnectionString, connectionName: "Platform")
            .WithEnvironment(context => Configure(context.EnvironmentVariables, options, secrets))
            .WaitForCompletion(migrate);
        if (database.Server is { } server)
        {
            migrate.WaitFor(server);
            platform.WaitFor(server);
        }

        return platform;
    }

    private static void Configure(Dictionary<string, object> environment, AppHostOptions options, LocalSecrets secrets)
    {
        environment["ASPNETCORE_URLS"] = options.BaseUrl;
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        environment["ASPNETCORE_CONTENTROOT"] = Path.GetDirectoryName(PlatformProcess.AssemblyPath)!; // its build output, as when deployed
        environment["Platform__AdminToken"] = secrets.AdminToken;
        environment["Logging__Console__FormatterName"] = "simple";
        environment["Auth__Providers__0"] = "dev";
        environment["Auth__DefaultGroup"] = "everyone";
        environment["Auth__DevAdmins__0"] = "admin";
        environment["Environments__StopOnShutdown"] = options.KeepEnvironments ? "false" : "true";
        environment["Compute__Local__Root"] = Path.Combine(options.StateDirectory, "local");
        environment["Storage__Backups__Directory"] = Path.Combine(options.StateDirectory, "backups"); // all state under the state folder, never in the build output
        if (options.CatalogFile is not null)
        {
            environment["Catalog__File"] = options.CatalogFile;
        }

        if (options.With.Contains(AppHostOptions.Prometheus))
        {
            environment["Metrics__Token"] = secrets.MetricsToken;
            environment["Alerts__WebhookSecret"] = secrets.WebhookSecret;
        }
    }
}
