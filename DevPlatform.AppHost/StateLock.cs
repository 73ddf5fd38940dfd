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

        File.WriteAllText(infoPath, JsonSerializer.Serialize(new Info(Environment.ProcessId, url)));
        holder = "";
        return new StateLock(file, infoPath);
    }

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

    private sealed record Info(int Pid, string Url);
}
