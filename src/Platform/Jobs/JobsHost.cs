using DevPlatform.Persistence;

namespace DevPlatform.Jobs;

/// <summary>At start-up (after the schema check): every job is on Hangfire's schedule, paused ones off it.</summary>
internal sealed class JobsHost(JobSchedules schedules, IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await schedules.EnsureAsync(scope.ServiceProvider.GetRequiredService<PlatformDbContext>(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
