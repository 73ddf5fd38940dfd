using System.Threading.Channels;

namespace DevPlatform.Environments;

/// <summary>An <see cref="IProgress{T}"/> that writes each line as an event, in order, off the reporting thread.</summary>
internal sealed class ProgressWriter : IProgress<string>
{
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task writer;

    public ProgressWriter(Func<string, Task> write) => writer = Task.Run(async () =>
    {
        await foreach (var line in lines.Reader.ReadAllAsync())
        {
            await write(line);
        }
    });

    public void Report(string value) => lines.Writer.TryWrite(value);

    public Task FlushAsync()
    {
        lines.Writer.TryComplete();
        return writer;
    }
}
