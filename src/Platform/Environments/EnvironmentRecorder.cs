using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;

namespace DevPlatform.Environments;

/// <summary>Writes state changes and progress lines as events, and passes them to live subscribers.</summary>
internal sealed class EnvironmentRecorder(EnvironmentEventStream stream, TimeProvider time)
{
    /// <summary>Moves the environment to <paramref name="state"/> (with an event) and saves.</summary>
    public async Task TransitionAsync(PlatformDbContext db, UserEnvironment environment, EnvironmentState state, string message, CancellationToken cancellationToken)
    {
        environment.State = state;
        environment.UpdatedAt = time.GetUtcNow();
        await AddAsync(db, environment, true, message, cancellationToken);
    }

    public Task ProgressAsync(PlatformDbContext db, UserEnvironment environment, string message, CancellationToken cancellationToken) =>
        AddAsync(db, environment, false, message, cancellationToken);

    private async Task AddAsync(PlatformDbContext db, UserEnvironment environment, bool transition, string message, CancellationToken cancellationToken)
    {
        var record = new EnvironmentEvent
        {
            EnvironmentId = environment.Id, At = time.GetUtcNow(), State = environment.State, Transition = transition,
            Message = message.Length > 4000 ? message[..4000] : message,
        };
        db.EnvironmentEvents.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.ForeignKeyViolation, TableName: "environment_events" })
        {
            // deleted by another request (perhaps on another replica) since it was read: the same conflict as a changed state
            db.Entry(record).State = EntityState.Detached;
            throw new DbUpdateConcurrencyException($"Environment {environment.Id} was deleted by another request.", e);
        }

        stream.Publish(environment.Id, EnvironmentEventView.From(record));
    }
}
