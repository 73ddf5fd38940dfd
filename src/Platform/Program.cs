using DevPlatform.Access;
using DevPlatform.Services;
using DevPlatform.WebConsole;
using DevPlatform.Api;
using DevPlatform.Audit;
using DevPlatform.Catalog;
using DevPlatform.Compute;
using DevPlatform.Costs;
using DevPlatform.Environments;
using DevPlatform.Hub;
using DevPlatform.Hosting;
using DevPlatform.Identity;
using DevPlatform.Jobs;
using DevPlatform.Metrics;
using DevPlatform.Persistence;
using DevPlatform.Plugins;
using DevPlatform.Proxy;
using DevPlatform.ServiceDefaults;
using DevPlatform.Storage;
using DevPlatform.Storage.Backups;
using DevPlatform.Strategies;
using DevPlatform.Tenancy;

try
{
    var (command, exitCode) = HostCommand.Parse(args);
    if (command is null)
    {
        return exitCode; // --help, or a usage error the parser printed
    }

    var builder = WebApplication.CreateBuilder(command.HostArgs);
    if (command.Name == HostCommand.Doctor)
    {
        AppHostState.UseWhenUnconfigured(builder.Configuration, Path.Combine(Environment.CurrentDirectory, ".devplatform"));
    }

    builder.AddServiceDefaults();
    builder.AddPersistence();
    builder.AddPlugins();
    builder.AddStrategies();
    builder.AddAudit();
    builder.AddTenancy();
    builder.AddCatalog();
    builder.AddCompute();
    builder.AddHub();
    builder.AddProxy();
    builder.AddEnvironments();
    builder.AddIdentity();
    builder.AddStorage();
    builder.AddAccess();
    builder.AddSharedServices();
    builder.AddConsole();
    builder.AddMetrics();
    builder.AddCosts();
    builder.AddJobs();
    builder.AddApi();

    var app = builder.Build();
    switch (command.Name)
    {
        case HostCommand.Migrate:
            return await HostCommands.MigrateAsync(app.Services, CancellationToken.None);
        case HostCommand.SchemaScript:
            return HostCommands.PrintSchemaScript(app.Services);
        case HostCommand.Doctor:
            return await new Doctor(app.Services, Console.Out).RunAsync(CancellationToken.None);
        case HostCommand.Render when command.Argument == "sftp":
            return HostCommands.RenderSftp(app.Services, command.Target);
        case HostCommand.Render when command.Argument == "cluster":
            return await HostCommands.RenderClusterAsync(app.Services, CancellationToken.None);
        case HostCommand.Render:
            return HostCommands.RenderRules(app.Services, command.Argument == "prometheusrule");
        case HostCommand.ApplyCatalog:
            return await HostCommands.ApplyCatalogAsync(app.Services, command.Argument!, CancellationToken.None);
    }

    app.UseApi();
    app.MapDefaultEndpoints();
    app.MapMetrics();
    app.MapJobsDashboard();
    app.MapAlertmanagerWebhook();
    app.MapSftpMachineEndpoints();
    app.MapServiceProxy();
    app.MapConsole();
    app.MapLogin();
    app.MapHub();
    app.MapProxy();
    app.MapEnvironmentSignIn();
    var api = app.MapPlatformApi();
    var admin = api.MapAdminApi();
    admin.MapTenancyApi();
    admin.MapCatalogApi();
    admin.MapClusterApi();
    admin.MapAuditApi();
    admin.MapJobsApi();
    admin.MapUsageApi();
    admin.MapAlertRulesApi();
    api.MapEnvironmentsApi(admin);
    api.MapApiTokensApi();
    api.MapMeApi();
    api.MapBudgetsApi(admin);
    api.MapStorageApi(admin);
    api.MapBackupsApi();
    api.MapSshKeysApi();
    api.MapSftpApi();
    admin.MapDnsApi();
    api.MapServicesApi(admin);
    api.MapGroupManagementApi();
    app.MapPlugins(admin.MapGroup("/admin"));
    await app.RunAsync();
    return 0;
}
catch (StartupException e)
{
    await Console.Error.WriteLineAsync($"devplatform: {e.Message}");
    return 1;
}

/// <summary>The host's entry point; public so tests can host it with WebApplicationFactory.</summary>
public partial class Program;
