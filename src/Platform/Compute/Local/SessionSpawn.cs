using System.Runtime.InteropServices;

namespace DevPlatform.Compute.Local;

/// <summary>
/// Starts a workload in a session and process group of its own, in its working directory, with its output appended to its
/// log file, stdin from /dev/null, every signal at its default and none blocked — one <c>posix_spawn(3)</c> (glibc clones
/// with <c>CLONE_VFORK</c> and loads only the workload). It replaces <c>setsid sh -c 'exec "$@" >>log'</c>, which loaded
/// two programs before the workload's own (2–3 ms each on a small VM). The child is this host's: the backend reaps it
/// (<see cref="Native.Reap"/>) once it has exited.
/// </summary>
internal static partial class SessionSpawn
{
    private const short SetSignalDefaults = 0x04; // POSIX_SPAWN_SETSIGDEF
    private const short SetSignalMask = 0x08; // POSIX_SPAWN_SETSIGMASK
    private const short SetSession = 0x80; // POSIX_SPAWN_SETSID (glibc 2.26)
    private const int ReadOnly = 0;
    private const int AppendCreate = 0x1 | 0x40 | 0x400; // O_WRONLY | O_CREAT | O_APPEND
    private const uint ReadWriteForAll = 0x1B6; // 0666, less the umask, as a shell's >> creates it
    private const int NativeSize = 1024; // larger than glibc's posix_spawn_file_actions_t (80), posix_spawnattr_t (336) and sigset_t (128)

    /// <summary>The new process's id; throws <see cref="Abstractions.BackendStartException"/> when it could not be started.</summary>
    public static int Start(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logFile)
    {
        var actions = Marshal.AllocHGlobal(NativeSize);
        var attributes = Marshal.AllocHGlobal(NativeSize);
        var defaults = Marshal.AllocHGlobal(NativeSize);
        var mask = Marshal.AllocHGlobal(NativeSize);
        var argv = Strings([program, .. arguments]);
        var envp = Strings(environment.Select(v => $"{v.Key}={v.Value}"));
        try
        {
            Check(FileActionsInit(actions), "posix_spawn_file_actions_init");
            Check(AddOpen(actions, 0, "/dev/null", ReadOnly, 0), "posix_spawn_file_actions_addopen");
            Check(AddOpen(actions, 1, logFile, AppendCreate, ReadWriteForAll), "posix_spawn_file_actions_addopen");
            Check(AddDup2(actions, 1, 2), "posix_spawn_file_actions_adddup2");
            Check(AddChdir(actions, workingDirectory), "posix_spawn_file_actions_addchdir_np");
            Check(AttributesInit(attributes), "posix_spawnattr_init");
            Check(FillSet(defaults) + EmptySet(mask), "sigfillset");
            Check(SetDefaults(attributes, defaults) + SetMask(attributes, mask), "posix_spawnattr_setsigdefault");
            Check(SetFlags(attributes, SetSession | SetSignalDefaults | SetSignalMask), "posix_spawnattr_setflags");
            var error = Spawn(out var pid, program, actions, attributes, argv, envp);
            return error == 0 ? pid : throw new Abstractions.BackendStartException($"could not start {program}: {Marshal.GetPInvokeErrorMessage(error)}");
        }
        finally
        {
            _ = FileActionsDestroy(actions);
            _ = AttributesDestroy(attributes);
            foreach (var pointer in argv.Concat(envp))
            {
                Marshal.FreeCoTaskMem(pointer); // the arrays' terminating null is a no-op
            }

            foreach (var pointer in new[] { actions, attributes, defaults, mask })
            {
                Marshal.FreeHGlobal(pointer);
            }
        }
    }

    /// <summary>A NULL-terminated array of UTF-8 strings, as execve takes argv and envp (freed with <see cref="Marshal.FreeCoTaskMem"/>).</summary>
    private static IntPtr[] Strings(IEnumerable<string> values) => [.. values.Select(Marshal.StringToCoTaskMemUTF8), IntPtr.Zero];

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new Abstractions.BackendStartException($"{call} failed ({result})");
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Spawn(out int pid, string path, IntPtr fileActions, IntPtr attributes, IntPtr[] argv, IntPtr[] envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(IntPtr fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(IntPtr fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AddOpen(IntPtr fileActions, int fd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int AddDup2(IntPtr fileActions, int fd, int newFd);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int AddChdir(IntPtr fileActions, string path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttributesInit(IntPtr attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttributesDestroy(IntPtr attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int SetFlags(IntPtr attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int SetDefaults(IntPtr attributes, IntPtr signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int SetMask(IntPtr attributes, IntPtr signals);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static partial int FillSet(IntPtr signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int EmptySet(IntPtr signals);
}
