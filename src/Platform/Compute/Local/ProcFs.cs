using System.Globalization;

namespace DevPlatform.Compute.Local;

/// <summary>What /proc says about a process: alive (not a zombie), its start time (clock ticks since boot), its group, CPU ticks and RSS.</summary>
internal static class ProcFs
{
    private const int ClockTicksPerSecond = 100;

    public sealed record Stat(char State, int ProcessGroup, long UserTicks, long SystemTicks, long StartTicks, long RssPages);

    public static Stat? Read(int pid)
    {
        string text;
        var path = $"/proc/{pid}/stat";
        if (!File.Exists(path))
        {
            return null; // gone: cheaper to ask than to catch
        }

        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) S ppid pgrp ..." — comm may hold spaces and parentheses, so split after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long F(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture);
        return new Stat(fields[0][0], (int)F(5), F(14), F(15), F(22), F(24));
    }

    /// <summary>The process with that pid is the one we started (same start time) and has not exited.</summary>
    public static bool IsAlive(int pid, long startTicks) => Read(pid) is { } stat && stat.StartTicks == startTicks && stat.State != 'Z' && stat.State != 'X';

    public static IEnumerable<int> AllPids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(n => int.TryParse(n, out var pid) ? pid : 0).Where(pid => pid > 0);

    /// <summary>The processes of one process group (a workload and its children).</summary>
    public static IEnumerable<(int Pid, Stat Stat)> Group(int processGroup) =>
        AllPids().Select(pid => (pid, Read(pid))).Where(p => p.Item2 is { } s && s.ProcessGroup == processGroup && s.State != 'Z').Select(p => (p.pid, p.Item2!));

    public static decimal TicksToSeconds(long ticks) => (decimal)ticks / ClockTicksPerSecond;

    /// <summary>Seconds since boot (/proc/uptime), the clock process start times are measured on.</summary>
    public static decimal UptimeSeconds() =>
        decimal.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    /// <summary>One variable from a process's initial environment, or null (gone, or not ours to read).</summary>
    public static string? Variable(int pid, string name)
    {
        try
        {
            var prefix = name + "=";
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0').FirstOrDefault(v => v.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The process holds one of these sockets open (its /proc/{pid}/fd links to <c>socket:[inode]</c>).</summary>
    public static bool HoldsAnySocket(int pid, IReadOnlyCollection<long> inodes)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
                .Select(fd => new FileInfo(fd).LinkTarget)
                .Any(target => target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)
                    && inodes.Contains(long.Parse(target.AsSpan(8, target.Length - 9), CultureInfo.InvariantCulture)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone, or not ours to look at
        }
    }

    /// <summary>The command name of a process (/proc/{pid}/comm), or null.</summary>
    public static string? CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
