using DevPlatform.Persistence;
using Quartz;

namespace DevPlatform.Jobs;

internal static class JobsExtensions
{
    /// <summary>
    /// Quartz with its clustered ADO.NET store on the platform's PostgreSQL (tables <c>qrtz_*</c>, created when
    /// missing): every <see cref="Abstractions.IPlatformJob"/> registered by the platform or a plugin runs on its
    /// interval, each firing on one host.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(JobsOptions.Section);
        builder.Services.Configure<JobsOptions>(section);
        var options = section.Get<JobsOptions>() ?? new JobsOptions();
        var host = Hosting.HostNode.Create(options.NodeId);
        var node = host.NodeId;
        builder.Services.AddSingleton(host);
        builder.Services.AddHostedService<Hosting.HostHeartbeat>();
        builder.Services.AddSingleton<JobSchedules>();
        builder.Services.AddScoped<JobCatalog>();
        builder.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = options.SchedulerName;
                s.InstanceId = node;
                s.IdleWaitTime = TimeSpan.FromSeconds(options.IdleWaitSeconds);
            });
            q.UsePersistentStore(s =>
            {
                s.UsePostgres(p => p.ConnectionStringName = PersistenceExtensions.ConnectionStringName);
                s.UseSystemTextJsonSerializer();
                s.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(options.CheckinSeconds));
                s.ConfigureStore(store => store.TablePrefix = "qrtz_");
                s.ProvisionSchema();
            });
        });
        builder.Services.AddHostedService<JobsHost>();
        if (options.Enabled)
        {
            builder.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        }

        return builder;
    }
}
