using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using DevPlatform.IntegrationTests.Fixtures;
using DevPlatform.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DevPlatform.IntegrationTests.Console;

/// <summary>
/// What the console's lists show: "cost so far" on the environment lists and page (the metered hours of that environment,
/// not another's, plus the running time the meter has not counted yet at its rate); the admin users page's groups, search
/// and pages.
/// </summary>
public sealed partial class ConsoleListTests : LiveHostTest
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" }; // no meter run moves the numbers

    [Fact]
    public async Task CostSoFar_IsTheEnvironmentsMeteredHours_PlusTheRunningTimeNotYetMetered_OnEveryPageThatShowsIt()
    {
        foreach (var name in new[] { "running", "done" })
        {
            await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name, profile = "web" }), HttpStatusCode.Accepted);
            await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", name, "running");
        }

        await ApiAssert.OkAsync(await Alice.Client.PostAsync(new Uri("/api/users/alice/environments/done/stop", UriKind.Relative), null), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "done", "stopped");
        // running: 2 metered hours ($2.50 each) and 2 unmetered hours at $0.01 (the meter last counted 2 h ago) = $5.02;
        // done: 1 metered hour of $1.25, stopped, so nothing unmetered.
        await WriteAsync("""
            UPDATE environments SET hourly_rate = 0.01, metered_until = now() - interval '2 hours' WHERE name = 'running';
            INSERT INTO usage_hours (environment_id, environment_name, hour, user_name, group_name, profile_name, pool_name, cpu_request, memory_request,
                                     accelerators, seconds, measured_seconds, cpu_used_core_seconds, memory_used_byte_seconds, cost)
            SELECT e.id, e.name, date_trunc('hour', now()) - h * interval '1 hour', 'alice', e.group_name, e.profile_name, e.pool_name, 1, 1073741824,
                   0, 3600, 0, 0, 0, CASE e.name WHEN 'running' THEN 2.5 ELSE 1.25 END
            FROM environments e, generate_series(3, 4) AS h WHERE e.name = 'running' OR (e.name = 'done' AND h = 3);
            """);

        var home = await PageAsync(Alice, "/");
        Assert.Equal("$5.02", CostIn(home, "running"));
        Assert.Equal("$1.25", CostIn(home, "done"));
        Assert.Contains("<dd>$5.02</dd>", await PageAsync(Alice, "/environments/running"), StringComparison.Ordinal);
        Assert.Contains("<dd>$1.25</dd>", await PageAsync(Alice, "/environments/done"), StringComparison.Ordinal);

        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "carol", admin = true }), HttpStatusCode.Created);
        using var carol = new Browser(Host.BaseAddress);
        await carol.LoginAsync("carol");
        var all = await PageAsync(carol, "/admin/environments?user=alice");
        Assert.Equal("$5.02", CostIn(all, "running"));
        Assert.Equal("$1.25", CostIn(all, "done"));
        Assert.Contains("name=\"ids\"", all, StringComparison.Ordinal); // the running one can be stopped from here
        Assert.Contains("No environments match.", await PageAsync(carol, "/admin/environments?user=nobody"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminUsers_ShowEachUsersGroupsInNameOrder_FindByDisplayName_AndPageByFifty()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = "astro", displayName = "Astronomy" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "carol", admin = true }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "zoe", displayName = "Zoë Quasar-Hunter" }), HttpStatusCode.Created);
        foreach (var group in new[] { "lab", "astro" })
        {
            await ApiAssert.OkAsync(await Admin.PutAsJsonAsync($"/api/groups/{group}/members/zoe", new { role = "member" }), HttpStatusCode.Created);
        }

        for (var i = 0; i < 60; i++)
        {
            await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = $"student{i:00}" }), HttpStatusCode.Created);
        }

        using var carol = new Browser(Host.BaseAddress);
        await carol.LoginAsync("carol");
        var found = await PageAsync(carol, "/admin/users?q=quasar");
        var zoe = Assert.Single(Rows().Matches(found).Select(m => m.Value), r => r.Contains("<td>", StringComparison.Ordinal));
        Assert.Contains("<strong>zoe</strong>", zoe, StringComparison.Ordinal);
        Assert.Contains("<td>astro, lab</td>", zoe, StringComparison.Ordinal);

        var total = (await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/users?limit=1")).GetProperty("total").GetInt32(); // as the API counts them
        Assert.InRange(total, 63, 99); // alice, carol, zoe, the students and the catalog's seeded users: two pages
        var first = await PageAsync(carol, "/admin/users");
        Assert.Equal($"1–50 of {total}", PagerText(first));
        Assert.Contains("<strong>alice</strong>", first, StringComparison.Ordinal);
        var second = await PageAsync(carol, "/admin/users?offset=50");
        Assert.Equal($"51–{total} of {total}", PagerText(second));
        Assert.Contains("<strong>zoe</strong>", second, StringComparison.Ordinal);
        Assert.DoesNotContain("<strong>alice</strong>", second, StringComparison.Ordinal);
    }

    private static async Task<string> PageAsync(Browser browser, string path)
    {
        using var answer = await browser.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return await answer.Content.ReadAsStringAsync();
    }

    /// <summary>The money cell of the table row that links to the environment.</summary>
    private static string CostIn(string html, string environment)
    {
        var row = Rows().Matches(html).Select(m => m.Value).Single(r => r.Contains($">{environment}</a>", StringComparison.Ordinal));
        return Money().Match(row).Value;
    }

    private static string PagerText(string html) => WebUtility.HtmlDecode(Pager().Match(html).Groups[1].Value);

    private async Task WriteAsync(string sql)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PlatformDbContext>().Database.ExecuteSqlRawAsync(sql);
    }

    [GeneratedRegex("""<nav class="pager".*?<span class="muted">(.*?)</span>""", RegexOptions.Singleline)]
    private static partial Regex Pager();

    [GeneratedRegex("<tr>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Rows();

    [GeneratedRegex(@"\$[0-9.,]+(?= |<)")]
    private static partial Regex Money();
}
