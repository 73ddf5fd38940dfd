using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>A catalog for environment tests: a CPU pool, the echo workload ('web'), Jupyter, and group 'lab' with alice and bob.</summary>
public static class EnvironmentCatalog
{
    public static readonly string EchoWorkload = Path.Combine(AppContext.BaseDirectory, "Assets", "echo_workload.py");

    /// <summary>
    /// Appended to the markers tests put on their workloads' command lines and count processes by, so two test runs on one
    /// machine (a developer's and CI's) never count each other's.
    /// </summary>
    public static readonly string RunMarker = Guid.NewGuid().ToString("N")[..12];

    public static object WebProfile(string name = "web", int startTimeoutSeconds = 60, string[]? command = null, bool allowCustomImage = false, string? customImagePattern = null) => new
    {
        name, pool = "cpu", kind = "custom", startTimeoutSeconds, allowCustomImage, customImagePattern,
        command = command ?? ["python3", EchoWorkload],
        images = new[] { new { name = "python", reference = "docker.io/library/python:3.12-slim", @default = true } },
        bundles = new[] { new { name = "tools", manager = "pip", packages = new[] { "rich>=13" } } },
        sizes = new[]
        {
            new { name = "small", cpuRequest = "500m", cpuLimit = "1", memoryRequest = "256Mi", memoryLimit = "512Mi", accelerators = 0 },
            new { name = "large", cpuRequest = "4", cpuLimit = "4", memoryRequest = "8Gi", memoryLimit = "8Gi", accelerators = 0 },
        },
    };

    public static async Task SeedAsync(HttpClient admin, object? policy = null, params object[] extraProfiles)
    {
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/pools", new { name = "cpu", acceleratorKind = "cpu", onDemandHourlyPrice = 0.2m }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/profiles", WebProfile()), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/profiles", new
        {
            name = "jupyter", pool = "cpu", kind = "jupyter",
            images = new[] { new { name = "scipy", reference = "quay.io/jupyter/scipy-notebook:2025-01-06", @default = true } },
            sizes = new[] { new { name = "small", cpuRequest = "500m", cpuLimit = "1", memoryRequest = "512Mi", memoryLimit = "1Gi" } },
        }), HttpStatusCode.Created);
        var allowed = new List<string> { "web", "jupyter" };
        foreach (var profile in extraProfiles)
        {
            var created = await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/profiles", profile), HttpStatusCode.Created);
            allowed.Add(created.GetProperty("name").GetString()!);
        }

        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/groups", new { name = "lab" }), HttpStatusCode.Created);
        var body = JsonSerializer.SerializeToNode(policy ?? new { maxRunningEnvironmentsPerUser = 5 })!.AsObject();
        body["allowedProfiles"] = JsonSerializer.SerializeToNode(allowed);
        await ApiAssert.OkAsync(await admin.PutAsJsonAsync("/api/groups/lab/policy", body));
        foreach (var user in new[] { "alice", "bob" })
        {
            await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users", new { name = user }), HttpStatusCode.Created);
            await ApiAssert.OkAsync(await admin.PutAsJsonAsync($"/api/groups/lab/members/{user}", new { role = "member" }), HttpStatusCode.Created);
        }
    }

    public static Task<JsonElement> WaitForStateAsync(HttpClient client, string user, string name, string state, int seconds = 60) =>
        Eventually.UntilAsync(
            async () => await client.GetFromJsonAsync<JsonElement>($"/api/users/{user}/environments/{name}"),
            e => e.GetProperty("state").GetString() == state || (state != "failed" && e.GetProperty("state").GetString() == "failed"),
            TimeSpan.FromSeconds(seconds), $"{user}/{name} to be {state}");

    public static void KillProcessesWith(string marker)
    {
        using var kill = System.Diagnostics.Process.Start("pkill", ["-KILL", "-f", marker]);
        kill.WaitForExit();
    }

    /// <summary>Processes whose command line contains the marker (a workload that must or must not exist).</summary>
    public static int ProcessesWith(string marker) => Directory.EnumerateDirectories("/proc").Count(dir =>
    {
        try
        {
            return int.TryParse(Path.GetFileName(dir), out _) && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(marker, StringComparison.Ordinal)
                && !File.ReadAllText(Path.Combine(dir, "stat")).Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    });
}
