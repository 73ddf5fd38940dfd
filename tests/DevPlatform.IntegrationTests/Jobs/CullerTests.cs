using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DevPlatform.Environments;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Jobs;

/// <summary>
/// The idle and max-age cullers against real workloads, with the host's clock jumped ahead by hand (the scheduler
/// is off here: each pass is run directly, as the job would run it).
/// </summary>
public sealed class CullerTests : LiveHostTest
{
    private readonly ShiftedClock clock = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" };

    protected override Action<IServiceCollection> Services => s => s.AddSingleton<TimeProvider>(clock);

    protected override Task SeedAsync() => EnvironmentCatalog.SeedAsync(Admin, null,
        Profile("idle", new { idleTimeoutMinutes = 30 }),
        Profile("floor", new { idleTimeoutMinutes = 30, idleCpuFloor = 0.3m }),
        Profile("crunch", new { idleTimeoutMinutes = 30, idleCpuFloor = 0.3m }, "--busy"),
        Profile("aged", new { idleTimeoutMinutes = 0, maxAgeHours = 1 }));

    [Fact]
    public async Task IdleEnvironment_IsWarnedOnce_ThenStopped_WhileOneInUseKeepsRunning_AndStartsAgain()
    {
        await LaunchAsync("quiet", "idle");
        await LaunchAsync("active", "idle");

        clock.Advance(TimeSpan.FromMinutes(26));
        var used = clock.GetUtcNow().AddSeconds(-1);
        await Alice.FollowAsync("/user/alice/active/notebook");
        await Eventually.UntilAsync(() => EnvironmentAsync("active"), e => e.GetProperty("lastActivityAt") is { ValueKind: JsonValueKind.String } at && at.GetDateTimeOffset() > used,
            TimeSpan.FromSeconds(15), "the proxied request to count as activity");

        Assert.Equal("2 running with an idle timeout: stopped 0, warned 1, busy by CPU 0.", await PassAsync(c => c.CullIdleAsync(default)));
        Assert.Contains(await MessagesAsync("quiet"), m => m.StartsWith("Idle for 26 min: it will be stopped at ", StringComparison.Ordinal) && m.EndsWith(" unless it is used; the home is kept.", StringComparison.Ordinal));
        Assert.Equal("2 running with an idle timeout: stopped 0, warned 0, busy by CPU 0.", await PassAsync(c => c.CullIdleAsync(default))); // once

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("2 running with an idle timeout: stopped 1, warned 0, busy by CPU 0.", await PassAsync(c => c.CullIdleAsync(default)));
        Assert.Equal("stopped", (await EnvironmentAsync("quiet")).GetProperty("state").GetString());
        Assert.Contains("Stopped after 31 min without activity (the profile stops environments idle for 30 min); the home is kept.", await MessagesAsync("quiet"));
        Assert.Equal("running", (await EnvironmentAsync("active")).GetProperty("state").GetString());

        await ApiAssert.OkAsync(await Alice.Client.PostAsync(new Uri("/api/users/alice/environments/quiet/start", UriKind.Relative), null), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "quiet", "running"); // stopped, not deleted
    }

    [Fact]
    public async Task WithACpuFloor_ABusyEnvironmentWithoutTrafficIsKept_AndAnIdleOneStopped()
    {
        await LaunchAsync("crunching", "crunch");
        await LaunchAsync("calm", "floor");
        await Eventually.UntilAsync(async () => (await ApiAssert.OkAsync(await Alice.Client.GetAsync(new Uri("/api/users/alice/environments/crunching/usage", UriKind.Relative)))).GetProperty("used"),
            used => used.ValueKind == JsonValueKind.Object && used.GetProperty("cpu").GetDecimal() > 0.5m, TimeSpan.FromSeconds(30), "the busy workload's CPU use to show");

        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal("2 running with an idle timeout: stopped 1, warned 0, busy by CPU 1.", await PassAsync(c => c.CullIdleAsync(default)));
        Assert.Equal("running", (await EnvironmentAsync("crunching")).GetProperty("state").GetString());
        Assert.Equal("stopped", (await EnvironmentAsync("calm")).GetProperty("state").GetString());
        var crunching = await EnvironmentAsync("crunching");
        Assert.True(crunching.GetProperty("lastActivityAt").GetDateTimeOffset() > clock.GetUtcNow().AddMinutes(-1)); // its CPU use counted as activity
    }

    [Fact]
    public async Task MaxAge_StopsAnEnvironmentInUse_AfterAWarning()
    {
        await LaunchAsync("long", "aged");
        clock.Advance(TimeSpan.FromMinutes(56));
        await Alice.FollowAsync("/user/alice/long/busy");
        Assert.Equal("1 running with a maximum age: stopped 0, warned 1.", await PassAsync(c => c.CullAgedAsync(default)));
        Assert.Contains(await MessagesAsync("long"), m => m.StartsWith("It reaches the profile's limit of 60 min running and will be stopped at ", StringComparison.Ordinal));
        Assert.Equal("running", (await EnvironmentAsync("long")).GetProperty("state").GetString());
        Assert.Equal("0 running with an idle timeout: stopped 0, warned 0, busy by CPU 0.", await PassAsync(c => c.CullIdleAsync(default))); // idle culling is off for this profile

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("1 running with a maximum age: stopped 1, warned 0.", await PassAsync(c => c.CullAgedAsync(default)));
        Assert.Contains(await MessagesAsync("long"), m => m.StartsWith("Stopped: it ran for 61 min, the profile's limit is 60 min; the home is kept.", StringComparison.Ordinal));
    }

    private static JsonObject Profile(string name, object culling, params string[] arguments)
    {
        var profile = JsonSerializer.SerializeToNode(EnvironmentCatalog.WebProfile(name, command: ["python3", EnvironmentCatalog.EchoWorkload, .. arguments]))!.AsObject();
        foreach (var (key, value) in JsonSerializer.SerializeToNode(culling)!.AsObject())
        {
            profile[key] = value?.DeepClone();
        }

        return profile;
    }

    private async Task LaunchAsync(string name, string profile)
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name, profile }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", name, "running");
    }

    private async Task<string> PassAsync(Func<EnvironmentCuller, Task<string>> pass)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await pass(scope.ServiceProvider.GetRequiredService<EnvironmentCuller>());
    }

    private async Task<JsonElement> EnvironmentAsync(string name) => await Alice.Client.GetFromJsonAsync<JsonElement>($"/api/users/alice/environments/{name}");

    private async Task<List<string>> MessagesAsync(string name) =>
        (await Alice.Client.GetFromJsonAsync<JsonElement>($"/api/users/alice/environments/{name}/events")).EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
}
