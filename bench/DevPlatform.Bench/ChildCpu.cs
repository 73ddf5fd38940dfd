using System.Runtime.InteropServices;

namespace DevPlatform.Bench;

/// <summary>CPU time (user + system) of this process's children that have exited and been waited for — wrk runs, say.</summary>
internal static partial class ChildCpu
{
    private const int Children = -1; // RUSAGE_CHILDREN

    public static TimeSpan Reaped()
    {
        if (GetResourceUsage(Children, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return TimeSpan.FromMicroseconds(((usage.UserSeconds + usage.SystemSeconds) * 1_000_000.0) + usage.UserMicroseconds + usage.SystemMicroseconds);
    }

    /// <summary>The start of Linux's struct rusage on 64-bit: the two timevals; the 14 counters after them are not read.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetResourceUsage(int who, out ResourceUsage usage);
}
