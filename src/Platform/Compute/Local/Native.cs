using System.Runtime.InteropServices;

namespace DevPlatform.Compute.Local;

internal static partial class Native
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>kill(2); a negative pid signals the whole process group.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
