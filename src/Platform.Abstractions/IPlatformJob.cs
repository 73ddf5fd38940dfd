namespace DevPlatform.Abstractions;

/// <summary>
/// Maintenance the hub runs on a schedule (idle culling, metering, cleaning shared folders…). Plugins add
/// their own by registering implementations. The scheduler is clustered on the platform's database: each
/// firing runs on one host, and a job never overlaps itself. Admins see, run, pause and resume jobs by
/// <see cref="INamedStrategy.Name"/> (lower-case, e.g. <c>idle-culler</c>).
/// </summary>
public interface IPlatformJob : INamedStrategy
{
    /// <summary>One sentence for admins: what the job does.</summary>
    string Description { get; }

    /// <summary>How often it runs unless configuration (<c>Jobs:Intervals:{name}</c>, seconds) says otherwise.</summary>
    TimeSpan DefaultInterval { get; }

    /// <summary>
    /// Does one pass and says what it did in one line ("stopped 2 of 14 running environments"). An exception
    /// fails this run only: it is logged in one line, recorded, and the job runs again on its schedule.
    /// </summary>
    Task<string> RunAsync(IServiceProvider services, CancellationToken cancellationToken);
}
