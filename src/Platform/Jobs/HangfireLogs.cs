using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace DevPlatform.Jobs;

/// <summary>
/// Hangfire's logs into the host's logging. Hangfire keeps one log provider per process (static); with several hosts in
/// one process (the test fixtures) a host that stopped must not break the others' job clients and servers, so a logger
/// asked of a disposed host's factory is a silent one instead of an <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class HangfireLogs(ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
