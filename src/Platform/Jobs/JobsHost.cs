namespace DevPlatform.Jobs;

/// <summary>At start-up (after the schema check): the jobs and their triggers are in the store.</summary>
internal sealed class JobsHost(JobSchedules schedules) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => schedules.EnsureAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
