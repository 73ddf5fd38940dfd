using System.Text.Json;

namespace DevPlatform.AppHost;

/// <summary>
/// One AppHost per state directory: an exclusive lock on <c>apphost.lock</c> held for the run (released by the kernel if
/// the process dies), and <c>apphost.json</c> saying who holds it, so a second run can say so and leave the first alone.
/// </summary>
internal sealed class StateLock : IDisposable
{
    private readonly FileStream lockFile;
    private readonly string infoPath;

    private StateLock(FileStream lockFile, string infoPath) => (this.lockFile, this.infoPath) = (lockFile, infoPath);

    /// <summary>The lock, or null with the running instance described in <paramref name="holder"/>.</summary>
    public static StateLock? TryAcquire(string stateDirectory, string url, out string holder)
    {
        Directory.CreateDirectory(stateDirectory);
        var infoPath = Path.Combine(stateDirectory, "apphost.json");
        FileStream file;
        try
        {
            file = new FileStream(Path.Combine(stateDirectory, "apphost.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); // flock(LOCK_EX|LOCK_NB) on Linux
        }
        catch (IOException)
        {
            holder = Describe(infoPath);
            return null;
        }

        var held = new StateLock(file, infoPath);
        held.Publish(new Info(Environment.ProcessId, url, null));
        holder = "";
        return held;
    }

    /// <summary>Adds the private PostgreSQL's connection string, so <c>doctor</c> run beside us can check the database.</summary>
    public void PublishConnectionString(string url, string connectionString) => Publish(new Info(Environment.ProcessId, url, connectionString));

    public void Dispose()
    {
        File.Delete(infoPath);
        lockFile.Dispose();
    }

    private static string Describe(string infoPath)
    {
        try
        {
            var info = JsonSerializer.Deserialize<Info>(File.ReadAllText(infoPath));
            return info is null ? "pid unknown" : $"pid {info.Pid}, {info.Url}";
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return "pid unknown";
        }
    }

    private void Publish(Info info)
    {
        using var stream = new FileStream(infoPath, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        JsonSerializer.Serialize(stream, info);
    }

    private sealed record Info(int Pid, string Url, string? ConnectionString);
}
