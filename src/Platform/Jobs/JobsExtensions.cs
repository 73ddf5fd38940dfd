using DevPlatform.Persistence;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace DevPlatform.Jobs;

internal static class JobsExtensions
{
    /// <summary>
    /// Hangfire on the platform's PostgreSQL (schema <c>hangfire</c>, installed by the migration step): every
    /// <see cref="Abstractions.IPlatformJob"/> registered by the platform or a plugin is a recurring job, each firing
    /// enqueued once and run by one host. The storage is this host's own instance (not Hangfire's static
    /// <c>JobStorage.Current</c>), so several hosts in one process keep apart.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(JobsOptions.Section);
        builder.Services.Configure<JobsOptions>(section);
        var options = section.Get<JobsOptions>() ?? new JobsOptions();
        var host = Hosting.HostNode.Create(options.NodeId);
        builder.Services.AddSingleton(host);
        builder.Services.AddHostedService<Hosting.HostHeartbeat>();
        builder.Services.AddSingleton<JobSchedules>();
        builder.Services.AddScoped<JobCatalog>();
        builder.Services.AddScoped<PlatformJobRunner>();
        var storage = new PostgreSqlStorageOptions
        {
            SchemaName = PlatformSchema.HangfireSchema,
            PrepareSchemaIfNecessary = false,
            QueuePollInterval = TimeSpan.FromSeconds(options.PollSeconds),
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
            InvisibilityTimeout = TimeSpan.FromMinutes(30),
        };
        builder.Services.AddSingleton<JobStorage>(services => new PostgreSqlStorage(
            new NpgsqlConnectionFactory(PersistenceExtensions.ConnectionString(services.GetRequiredService<IConfiguration>()), storage), storage));
        // Hangfire's defaults are process-wide (JobActivator.Current, LogProvider): each host brings its own activator, so a
        // host's workers never resolve jobs from another host's (perhaps disposed) services.
        builder.Services.AddSingleton<JobActivator>(services => new Hangfire.AspNetCore.AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((services, configuration) => configuration
            .UseLogProvider(new HangfireLogs(services.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        builder.Services.AddHostedService<JobsHost>();
        if (options.Enabled)
        {
            builder.Services.AddHangfireServer((services, server) =>
            {
                server.ServerName = host.NodeId;
                server.WorkerCount = options.Workers;
                server.SchedulePollingInterval = TimeSpan.FromSeconds(options.PollSeconds);
                server.Queues = [JobSchedules.Queue];
            });
        }

        return builder;
    }
}
