using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace DevPlatform.AppHost;

/// <summary>The platform host as a process (<c>dotnet DevPlatform.Platform.dll</c>; the test fixtures start it so), stopped with SIGTERM.</summary>
internal static partial class PlatformProcess
{
    private const int SigTerm = 15;

    public static string AssemblyPath { get; } =
        typeof(PlatformProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PlatformAssemblyPath").Value!;

    /// <param name="assembly">Another build of the host (a published one) instead of this solution's build output.</param>
    public static Process Start(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, bool inheritOutput, string? assembly = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = !inheritOutput, RedirectStandardError = !inheritOutput };
        start.ArgumentList.Add(assembly ?? AssemblyPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start the platform host");
    }

    /// <summary>SIGTERM, a grace period for a clean shutdown, then a kill.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        _ = Kill(process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>SIGTERM to a process that is not our child, then wait (polling) until it is gone or the grace period ends.</summary>
    public static async Task TerminateAsync(int pid, TimeSpan grace)
    {
        if (Kill(pid, SigTerm) != 0)
        {
            return; // already gone
        }

        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && Kill(pid, 0) == 0 && !IsZombie(pid))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].TrimStart().StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
