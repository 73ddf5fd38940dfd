namespace DevPlatform.Compute.Local;

/// <summary>
/// A memory limit for one workload: a child cgroup of the host's own memory cgroup (cgroup v2
/// <c>memory.max</c>, or v1 <c>memory.limit_in_bytes</c>), where the host may create one. The workload is
/// moved in right after it is spawned, so its children are born inside. Elsewhere the limit is not
/// enforced and the progress stream says so.
/// </summary>
internal static class MemoryCgroup
{
    public static (string? Path, string? Problem) Create(Guid environmentId, long limitBytes)
    {
        try
        {
            var (parent, v2) = OwnMemoryCgroup();
            if (parent is null)
            {
                return (null, "no memory cgroup is visible to the host");
            }

            var path = Path.Combine(parent, $"devplatform-{environmentId:N}");
            Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, v2 ? "memory.max" : "memory.limit_in_bytes"), limitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return (path, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, e.Message);
        }
    }

    public static string? Join(string path, int pid)
    {
        try
        {
            File.WriteAllText(Path.Combine(path, "cgroup.procs"), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    public static long? UsageBytes(string? path)
    {
        foreach (var file in new[] { "memory.current", "memory.usage_in_bytes" })
        {
            if (path is not null && File.Exists(Path.Combine(path, file)) && long.TryParse(File.ReadAllText(Path.Combine(path, file)).Trim(), out var bytes))
            {
                return bytes;
            }
        }

        return null;
    }

    public static void Remove(string? path)
    {
        try
        {
            if (path is not null && Directory.Exists(path))
            {
                Directory.Delete(path); // rmdir: succeeds once no process is left in it
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // still busy or already gone; the next stray sweep tries again
        }
    }

    private static (string? Path, bool V2) OwnMemoryCgroup()
    {
        var lines = File.ReadAllLines("/proc/self/cgroup");
        var v1 = lines.Select(l => l.Split(':', 3)).FirstOrDefault(p => p.Length == 3 && p[1].Split(',').Contains("memory"));
        if (v1 is not null && Directory.Exists("/sys/fs/cgroup/memory"))
        {
            return (Path.Join("/sys/fs/cgroup/memory", v1[2]), false);
        }

        var v2 = lines.Select(l => l.Split(':', 3)).FirstOrDefault(p => p.Length == 3 && p[0] == "0" && p[1].Length == 0);
        return v2 is not null && File.Exists("/sys/fs/cgroup/cgroup.controllers") ? (Path.Join("/sys/fs/cgroup", v2[2]), true) : (null, false);
    }
}
