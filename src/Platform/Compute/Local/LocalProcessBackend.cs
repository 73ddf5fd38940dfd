using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DevPlatform.Abstractions;
using Microsoft.Extensions.Options;

namespace DevPlatform.Compute.Local;

/// <summary>
/// Runs environments as processes on this host: each in its own session and process group, its output
/// appended to a file (so it outlives the host), its home under the configured root, marked with its
/// environment id and this host's scope so strays can be found after a crash.
/// </summary>
internal sealed class LocalProcessBackend : IComputeBackend
{
    public const string BackendName = "local";
    private const string IdVariable = "DEVPLATFORM_ENVIRONMENT_ID";
    private const string ScopeVariable = "DEVPLATFORM_SCOPE";
    private static readonly string[] PassThrough = ["PATH", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TZ", "NODE_PATH"];

    private readonly string root;
    private readonly string scope;
    private readonly TimeSpan stopGrace;
    private readonly IReadOnlyDictionary<string, string> extraEnvironment;
    private readonly int firstPort;
    private readonly int lastPort;
    private static readonly TimeSpan MinimumCpuWindow = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<Guid, (long Ticks, long At, decimal Cores)> cpuSamples = new();

    private readonly Storage.SelectedStorage storage;

    public LocalProcessBackend(IOptions<LocalOptions> options, IHostEnvironment host, Storage.SelectedStorage storage)
    {
        this.storage = storage;
        root = Path.GetFullPath(options.Value.Root, host.ContentRootPath);
        scope = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..16];
        stopGrace = TimeSpan.FromSeconds(options.Value.StopGraceSeconds);
        extraEnvironment = options.Value.Environment;
        (firstPort, lastPort) = options.Value.PortRangeProblem() is { } problem ? throw new Hosting.StartupException(problem) : (options.Value.FirstPort, options.Value.LastPort);
    }

    public string Name => BackendName;

    /// <summary>
    /// The user's home from the storage provider, with the group's folders linked in at their mount paths (a local
    /// process sees directories, not mounts; the links are not followed by scans, so nothing is counted twice).
    /// </summary>
    private string PrepareHome(EnvironmentSpec spec)
    {
        var home = storage.Provider.Ensure(StorageArea.Home(spec.User));
        foreach (var mount in spec.Mounts ?? [])
        {
            var target = storage.Provider.Ensure(mount.Area);
            var link = Path.Combine(home, mount.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            if (new FileInfo(link).LinkTarget is null && !Path.Exists(link))
            {
                File.CreateSymbolicLink(link, target);
            }
        }

        return home;
    }

    public async Task<BackendStart> StartAsync(EnvironmentSpec spec, IProgress<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(progress);
        var home = PrepareHome(spec);
        var runDirectory = Path.Combine(root, "environments", spec.Id.ToString("N"));
        Directory.CreateDirectory(runDirectory);
        var logFile = LogFileOf(spec);
        var port = PortChooser.Choose(firstPort, lastPort);

        var placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["{port}"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["{ip}"] = "127.0.0.1",
            ["{home}"] = home,
            ["{base_url}"] = spec.BaseUrl,
            ["{token}"] = spec.Environment.GetValueOrDefault("JUPYTERHUB_API_TOKEN") ?? string.Empty,
        };
        var environment = BaseEnvironment(home);
        foreach (var (key, value) in spec.Environment)
        {
            environment[key] = Fill(value, placeholders);
        }

        var program = CommandHints.Resolve(spec.Command[0], environment.GetValueOrDefault("PATH"))
            ?? throw new BackendStartException(CommandHints.NotInstalled(spec.Command[0]));
        foreach (var bundle in spec.Packages)
        {
            await PackageInstaller.InstallAsync(bundle, environment, home, logFile, progress, cancellationToken);
        }

        var (cgroup, cgroupProblem) = MemoryCgroup.Create(spec.Id, spec.Resources.MemoryLimit);
        var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal) { [IdVariable] = spec.Id.ToString(), [ScopeVariable] = scope };
        var pid = SessionSpawn.Start(program, spec.Command.Skip(1).Select(arg => Fill(arg, placeholders)).ToList(), variables, home, logFile);
        var joinProblem = cgroup is null ? cgroupProblem : MemoryCgroup.Join(cgroup, pid);
        progress.Report($"Started {Path.GetFileName(program)} on 127.0.0.1:{port}; " + (joinProblem is null
            ? $"memory limited to {spec.Resources.MemoryLimit / (1024 * 1024)} MiB (cgroup)"
            : $"memory limit not enforced on this host: {joinProblem}"));

        var stat = ProcFs.Read(pid) ?? throw new BackendStartException($"{Path.GetFileName(program)} exited at once; see the logs");
        var state = new LocalProcessState(pid, stat.StartTicks, port, logFile, joinProblem is null ? cgroup : null);
        return new BackendStart(new Uri($"http://127.0.0.1:{port}"), JsonSerializer.SerializeToElement(state));
    }

    public Task<BackendStatus> PollAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken)
    {
        var local = Read(state);
        if (ProcFs.IsAlive(local.Pid, local.StartTicks))
        {
            return Task.FromResult(new BackendStatus(true));
        }

        Native.Reap(local.Pid, local.StartTicks);
        return Task.FromResult(new BackendStatus(false, "the process has exited" + PortTakenBy(local.Port)));
    }

    /// <summary>
    /// Only a socket one of the workload's processes holds counts: the port was free when chosen, not reserved. The workload
    /// itself (its group's leader) is asked first; the rest of its group (a server its command forked) only when it holds none.
    /// </summary>
    public Task<bool> ServesOwnEndpointAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken)
    {
        var local = Read(state);
        var sockets = ListeningSockets.On(local.Port);
        return Task.FromResult(sockets.Count > 0
            && (ProcFs.HoldsAnySocket(local.Pid, sockets) || ProcFs.Group(local.Pid).Any(p => p.Pid != local.Pid && ProcFs.HoldsAnySocket(p.Pid, sockets))));
    }

    /// <summary>A socket listens on the workload's port (its own or, if another process took the port, that one's: the probe then sees whose).</summary>
    public Task<bool> ListensAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken) =>
        Task.FromResult(ListeningSockets.On(Read(state).Port).Count > 0);

    /// <summary>Why a workload may have exited at once: another process listens on the port chosen for it.</summary>
    private static string PortTakenBy(int port)
    {
        var sockets = ListeningSockets.On(port);
        var holder = sockets.Count == 0 ? 0 : ProcFs.AllPids().FirstOrDefault(pid => ProcFs.HoldsAnySocket(pid, sockets));
        return sockets.Count == 0 ? string.Empty
            : $"; port {port}, chosen for it, is held by another process ({(holder == 0 ? "not visible to the platform" : $"pid {holder}, {ProcFs.CommandName(holder)}")}), which took it before the workload could bind it";
    }

    public async Task StopAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken)
    {
        var local = Read(state);
        await StopGroupAsync(local.Pid, local.StartTicks, cancellationToken);
        MemoryCgroup.Remove(local.Cgroup);
        cpuSamples.TryRemove(spec.Id, out _);
    }

    public Task<BackendUsage?> GetUsageAsync(EnvironmentSpec spec, JsonElement state, CancellationToken cancellationToken)
    {
        var local = Read(state);
        if (!ProcFs.IsAlive(local.Pid, local.StartTicks))
        {
            Native.Reap(local.Pid, local.StartTicks);
            return Task.FromResult<BackendUsage?>(null);
        }

        var group = ProcFs.Group(local.Pid).ToList();
        var ticks = group.Sum(p => p.Stat.UserTicks + p.Stat.SystemTicks);
        var now = Stopwatch.GetTimestamp();
        decimal cores;
        if (!cpuSamples.TryGetValue(spec.Id, out var previous))
        {
            var age = ProcFs.UptimeSeconds() - ProcFs.TicksToSeconds(local.StartTicks); // first look: the average since it started
            cores = age > 0 ? ProcFs.TicksToSeconds(ticks) / age : 0m;
            cpuSamples[spec.Id] = (ticks, now, cores);
        }
        else if (Stopwatch.GetElapsedTime(previous.At, now) < MinimumCpuWindow)
        {
            cores = previous.Cores; // clock ticks are 10 ms: a shorter window would say 0 or 2 cores
        }
        else
        {
            cores = ProcFs.TicksToSeconds(ticks - previous.Ticks) / (decimal)Stopwatch.GetElapsedTime(previous.At, now).TotalSeconds;
            cpuSamples[spec.Id] = (ticks, now, cores);
        }

        var memory = MemoryCgroup.UsageBytes(local.Cgroup) ?? group.Sum(p => p.Stat.RssPages) * Environment.SystemPageSize;
        return Task.FromResult<BackendUsage?>(new BackendUsage(Math.Round(Math.Max(cores, 0), 3), memory));
    }

    public async Task<string> ReadLogsAsync(EnvironmentSpec spec, JsonElement state, int maxBytes, CancellationToken cancellationToken)
    {
        var log = LogFileOf(spec); // known without a state, so a start that failed installing bundles still shows its output
        if (!File.Exists(log))
        {
            return string.Empty;
        }

        await using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Max(0, stream.Length - maxBytes), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> StopStraysAsync(OwnedEnvironments owned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owned);
        var found = new Dictionary<Guid, (int Pid, long StartTicks)>();
        foreach (var pid in ProcFs.AllPids())
        {
            // Group leaders first (a workload leads its group): kernel threads (group 0) have no environment to read, and
            // asking for it threw an exception per thread on every pass.
            if (ProcFs.Read(pid) is { } stat && stat.ProcessGroup == pid
                && ProcFs.Variable(pid, ScopeVariable) == scope && Guid.TryParse(ProcFs.Variable(pid, IdVariable), out var id))
            {
                found[id] = (pid, stat.StartTicks);
            }
        }

        var keep = found.Count == 0 ? new HashSet<Guid>() : await owned(found.Keys, cancellationToken);
        var stopped = new List<Guid>();
        foreach (var (id, (pid, startTicks)) in found.Where(f => !keep.Contains(f.Key)))
        {
            await StopGroupAsync(pid, startTicks, cancellationToken);
            stopped.Add(id);
        }

        return stopped;
    }

    private async Task StopGroupAsync(int pid, long startTicks, CancellationToken cancellationToken)
    {
        if (ProcFs.IsAlive(pid, startTicks))
        {
            _ = Native.SignalGroup(pid, Native.SigTerm);
            await GoneAsync(pid, startTicks, stopGrace, cancellationToken);
            if (Native.GroupExists(pid))
            {
                _ = Native.SignalGroup(pid, Native.SigKill);
                await GoneAsync(pid, startTicks, TimeSpan.FromSeconds(1), cancellationToken); // killed: gone (and reaped) in a moment
            }
        }

        Native.Reap(pid, startTicks);
    }

    /// <summary>
    /// Waits up to <paramref name="grace"/> for the group to end: its leader (this host's child) is reaped as soon as it has
    /// exited, and the group asked for with signal 0 — two system calls a look, where listing /proc read every process's stat
    /// (100 stops at once did that 20 times a second each). A process the group forked outlives its leader as an orphan that
    /// init reaps; where the platform itself is PID 1 and reaps nothing else, such a zombie keeps the group until the grace ends.
    /// </summary>
    private static async Task GoneAsync(int pid, long startTicks, TimeSpan grace, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(grace.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Native.Reap(pid, startTicks);
            if (!Native.GroupExists(pid) || Stopwatch.GetTimestamp() >= deadline)
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private Dictionary<string, string> BaseEnvironment(string home)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = home };
        foreach (var name in PassThrough)
        {
            if (System.Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        environment.TryAdd("PATH", "/usr/local/bin:/usr/bin:/bin");
        foreach (var (key, value) in extraEnvironment)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Fills <c>{port}</c>, <c>{ip}</c>, <c>{home}</c>, <c>{base_url}</c> and <c>{token}</c> in one argument or value.</summary>
    private static string Fill(string value, IReadOnlyDictionary<string, string> placeholders) =>
        placeholders.Aggregate(value, (text, p) => text.Replace(p.Key, p.Value, StringComparison.Ordinal));

    private string LogFileOf(EnvironmentSpec spec) => Path.Combine(root, "environments", spec.Id.ToString("N"), "output.log");

    private static LocalProcessState Read(JsonElement state) =>
        state.Deserialize<LocalProcessState>() ?? throw new InvalidOperationException("empty local backend state");
}
