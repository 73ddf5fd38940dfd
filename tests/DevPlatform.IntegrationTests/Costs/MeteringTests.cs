using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.Costs;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Costs;

/// <summary>
/// A real environment metered across two hours of a jumped clock: hourly records, reports (JSON and CSV),
/// requested versus used, then the group's budget crossing every threshold once, stopping it, and refusing launches.
/// The pool is a spot m6i.2xlarge; the size asks 500m CPU and 256Mi: 1/16 of the node at $0.148/h = $0.00925/h.
/// </summary>
public sealed class MeteringTests : LiveHostTest
{
    private const decimal Rate = 0.00925m;
    private readonly ShiftedClock clock = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" };

    protected override Action<IServiceCollection> Services => s => s.AddSingleton<TimeProvider>(clock);

    protected override async Task SeedAsync()
    {
        await EnvironmentCatalog.SeedAsync(Admin);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/pools/cpu", new { name = "cpu", acceleratorKind = "cpu", onDemandHourlyPrice = 0.2m, instanceType = "m6i.2xlarge", capacityType = "spot" }));
    }

    [Fact]
    public async Task TwoHoursMetered_ReportedAndUnderused_ThenTheBudgetAlertsOnceEach_StopsTheGroup_AndRefusesLaunches()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "metered", profile = "web" }), HttpStatusCode.Accepted);
        var launched = await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "metered", "running");
        Assert.Equal(Rate, launched.GetProperty("hourlyRate").GetDecimal());
        Assert.Contains(await MessagesAsync(), m => m.EndsWith("costs $0.0093/h (0.0625 of a m6i.2xlarge, by CPU, at $0.148/h spot)", StringComparison.Ordinal));

        await Eventually.UntilAsync(async () => (await Admin.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/metered/usage")).GetProperty("used"),
            used => used.ValueKind == JsonValueKind.Object && used.GetProperty("cpu").GetDecimal() < 0.05m, TimeSpan.FromSeconds(30), "the workload to settle after its start-up");
        Assert.Equal("metered 1 environment(s) into 1 hourly record(s)", Head(await MeterAsync()));
        clock.Advance(TimeSpan.FromHours(2));
        var second = await MeterAsync();
        Assert.Contains("metered 1 environment(s) into ", second, StringComparison.Ordinal);

        var month = clock.GetUtcNow().ToString("yyyy-MM-01", CultureInfo.InvariantCulture);
        var byUser = Assert.Single((await Admin.GetFromJsonAsync<JsonElement>("/api/usage?by=user&period=month")).EnumerateArray());
        Assert.Equal("alice", byUser.GetProperty("key").GetString());
        Assert.InRange(byUser.GetProperty("hours").GetDouble(), 2.0, 2.02); // two jumped hours plus the real seconds of the test
        Assert.InRange(byUser.GetProperty("cpuRequestedCoreHours").GetDouble(), 1.0, 1.01);
        Assert.InRange(byUser.GetProperty("cost").GetDecimal(), 2 * Rate, 2.02m * Rate);
        var csv = (await Admin.GetStringAsync(new Uri("/api/usage?by=pool&period=month&format=csv", UriKind.Relative))).Split('\n');
        Assert.Equal("pool,period,hours,cpu_requested_core_hours,cpu_used_core_hours,memory_requested_gib_hours,memory_used_gib_hours,accelerator_hours,cost_usd", csv[0]);
        var row = csv[1].Split(',');
        Assert.Equal(["cpu", month], row[..2]);
        Assert.InRange(double.Parse(row[2], CultureInfo.InvariantCulture), 2.0, 2.02);
        Assert.InRange(decimal.Parse(row[8], CultureInfo.InvariantCulture), 2 * Rate, 2.02m * Rate);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.GetAsync(new Uri("/api/usage?by=colour", UriKind.Relative))).StatusCode);

        var usage = Assert.Single((await Admin.GetFromJsonAsync<JsonElement>("/api/usage/environments?user=alice")).EnumerateArray());
        Assert.True(usage.GetProperty("underused").GetBoolean()); // the echo workload idles: far under 20% of 0.5 CPU
        Assert.StartsWith("asked for 0.5 CPU and used 0", usage.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("consider a smaller size", usage.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var room = (await Alice.Client.GetFromJsonAsync<JsonElement>("/api/me/launch-options")).EnumerateArray().Single(g => g.GetProperty("group").GetString() == "lab").GetProperty("room");
        Assert.Equal((1, 0.5m), (room.GetProperty("mine").GetInt32(), room.GetProperty("cpuUsed").GetDecimal())); // the running one, as the launch counts it
        foreach (var path in new[] { "/api/usage/environments?user=alice", "/api/usage/environments", "/api/usage?by=user" })
        {
            // every user's usage and cost: admins only, not even a user's own through this report
            await ApiAssert.ProblemAsync(await Alice.Client.GetAsync(new Uri(path, UriKind.Relative)), HttpStatusCode.Forbidden);
        }

        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab/policy", new { allowedProfiles = new[] { "web", "jupyter" }, monthlyBudget = 0.01m, stopAtBudget = true }));
        Assert.Equal("1 group(s) with a budget: 4 threshold(s) crossed, 1 environment(s) stopped.", await BudgetsAsync());
        Assert.Equal("1 group(s) with a budget: 0 threshold(s) crossed, 0 environment(s) stopped.", await BudgetsAsync()); // each threshold once
        Assert.Equal("stopped", (await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/metered")).GetProperty("state").GetString());
        var messages = await MessagesAsync();
        Assert.Contains(messages, m => m.StartsWith("Group 'lab' has spent 50% of its monthly budget", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Stopped: group 'lab' has spent its monthly budget", StringComparison.Ordinal));

        var mine = Assert.Single((await Alice.Client.GetFromJsonAsync<JsonElement>("/api/me/budgets")).EnumerateArray());
        Assert.Equal("lab", mine.GetProperty("group").GetString());
        Assert.True(mine.GetProperty("percent").GetDecimal() >= 100);
        Assert.Equal([50, 80, 90, 100], mine.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("threshold").GetInt32()));
        var refused = await ApiAssert.ProblemAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "more", profile = "web" }), HttpStatusCode.PaymentRequired);
        Assert.Contains("has spent", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var hours = byUser.GetProperty("hours").GetDouble();
        clock.Advance(TimeSpan.FromMinutes(30));
        await MeterAsync(); // stopped: nothing after the stop is billed
        var after = Assert.Single((await Admin.GetFromJsonAsync<JsonElement>("/api/usage?by=user&period=month")).EnumerateArray());
        Assert.InRange(after.GetProperty("hours").GetDouble(), hours, hours + 0.01);
    }

    private static string Head(string summary) => summary[..summary.IndexOf(',', StringComparison.Ordinal)];

    private async Task<string> MeterAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UsageMeter>().MeterAsync(null, default);
    }

    private async Task<string> BudgetsAsync()
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Budgets>().EnforceAsync(default);
    }

    private async Task<List<string>> MessagesAsync() =>
        (await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments/metered/events")).EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
}
