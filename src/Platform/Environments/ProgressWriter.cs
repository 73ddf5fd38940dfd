using System.Threading.Channels;
using DevPlatform.Abstractions;

namespace DevPlatform.Environments;

/// <summary>
/// The progress a backend's start is given: each line written as an event, in order, off the reporting thread; and the
/// backend's "objects exist" (<see cref="IStartProgress.CreatedAsync"/>) recorded in the same order, returning once stored.
/// </summary>
internal sealed class ProgressWriter : IStartProgress
{
    private readonly Channel<Func<Task>> writes = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;
    private readonly Func<string, Task> write;
    private readonly Func<BackendStart, Task> created;

    public ProgressWriter(Func<string, Task> write, Func<BackendStart, Task> created)
    {
        this.write = write;
        this.created = created;
        writer = Task.Run(async () =>
        {
            await foreach (var next in writes.Reader.ReadAllAsync())
            {
                await next();
            }
        });
    }

    public void Report(string value) => writes.Writer.TryWrite(() => write(value));

    public async Task CreatedAsync(BackendStart created, CancellationToken cancellationToken)
    {
        var stored = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!writes.Writer.TryWrite(async () =>
            {
                try
                {
                    await this.created(created);
                    stored.TrySetResult();
                }
#pragma warning disable CA1031 // handed to the backend's await, which fails the start with it
                catch (Exception e)
#pragma warning restore CA1031
                {
                    stored.TrySetException(e);
                }
            }))
        {
            throw new InvalidOperationException("The start already finished.");
        }

        await stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Ends the writing; <paramref name="last"/> (when given) is written after every line reported. Completes when all are stored.</summary>
    public Task FlushAsync(Func<Task>? last = null)
    {
        if (last is not null)
        {
            writes.Writer.TryWrite(last);
        }

        writes.Writer.TryComplete();
        return writer;
    }
}
