using System.Runtime.InteropServices;

namespace DevPlatform.Compute.Local;

internal static partial class Native
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>
    /// Signals a workload's process group (kill(2) to -pgid). A group id of 0 or 1 would be this process's own group or
    /// every process the host may signal: refused, whatever a stored state says.
    /// </summary>
    public static int SignalGroup(int processGroup, int signal) =>
        processGroup > 1 ? Kill(-processGroup, signal) : throw new InvalidOperationException($"refusing to signal process group {processGroup}");

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>
    /// Collects a workload of this host that has exited (waitpid with WNOHANG), so it does not stay a zombie — only when /proc
    /// shows that very process (same start time) as one: its pid cannot have been reused while it is a zombie.
    /// </summary>
    public static void Reap(int pid, long startTicks)
    {
        if (ProcFs.Read(pid) is { State: 'Z' } stat && stat.StartTicks == startTicks)
        {
            _ = WaitPid(pid, out _, 1);
        }
    }

    /// <summary>Some process of the group still exists (kill(2) with signal 0 to -pgid: ESRCH once none does).</summary>
    public static bool GroupExists(int processGroup) => SignalGroup(processGroup, 0) == 0 || Marshal.GetLastPInvokeError() != NoSuchProcess;

    private const int NoSuchProcess = 3; // ESRCH

    [LibraryImport("libc", EntryPoint = "waitpid")]
    private static partial int WaitPid(int pid, out int status, int options);
}
