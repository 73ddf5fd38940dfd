using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Persistence;

/// <summary>
/// Walking every page of a list, with and without filters, gives exactly the one long page's rows, in its order, each page
/// with the same total — for all environments, whose pages past the first find their rows' keys first and read only those
/// rows (<c>PageRequest.ApplyByKeyAsync</c>), and for the users, paged plainly.
/// </summary>
public sealed class PagesPastTheFirstTests : AdminApiTest
{
    protected override async Task SeedAsync()
    {
        foreach (var group in new[] { "lab-a", "lab-b" })
        {
            await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = group }), HttpStatusCode.Created);
        }

        // names out of insertion order (z…, a…, m…) and owners with several environments, so id order is not name order
        await ExecuteSqlAsync("""
            INSERT INTO users (name, admin, disabled, created_at, updated_at)
              SELECT (ARRAY['zed', 'amy', 'moe'])[i % 3 + 1] || i, i % 4 = 0, false, now(), now() FROM generate_series(1, 40) i;
            INSERT INTO memberships (group_id, user_id, role, created_at)
              SELECT (SELECT id FROM groups WHERE name = CASE WHEN u.id % 2 = 0 THEN 'lab-a' ELSE 'lab-b' END), u.id, 'Member', now() FROM users u;
            INSERT INTO environments (id, user_id, name, group_name, profile_name, pool_name, request, spec, state, backend, cpu_request,
                                      memory_request, accelerators, hourly_rate, start_timeout_seconds, created_at, updated_at)
              SELECT gen_random_uuid(), u.id, 'env' || (50 - e), CASE WHEN u.id % 2 = 0 THEN 'lab-a' ELSE 'lab-b' END, 'fast', 'cpu', '{}', '{}',
                     CASE WHEN e % 2 = 0 THEN 'Stopped' ELSE 'Failed' END, 'process', 1, 1073741824, 0, 0.1, 300, now(), now()
              FROM users u, generate_series(1, 3) e WHERE u.id % 5 <> 0;
            """);
    }

    [Theory]
    [InlineData("/api/users?")]
    [InlineData("/api/users?admin=false&")]
    [InlineData("/api/users?group=lab-a&")]
    [InlineData("/api/users?q=amy&")]
    [InlineData("/api/environments?")]
    [InlineData("/api/environments?group=lab-b&")]
    [InlineData("/api/environments?state=stopped&")]
    public async Task WalkingEveryPage_GivesTheOneLongPage(string list)
    {
        var whole = await ApiAssert.OkAsync(await Admin.GetAsync($"{list}limit=500"));
        var expected = Names(whole);
        var total = whole.GetProperty("total").GetInt32();
        Assert.Equal(total, expected.Count);
        Assert.True(total > 10, $"{list}: {total} rows is too few to walk");

        var walked = new List<string>();
        for (var offset = 0; offset <= total; offset += 7)
        {
            var page = await ApiAssert.OkAsync(await Admin.GetAsync($"{list}offset={offset}&limit=7"));
            Assert.Equal(total, page.GetProperty("total").GetInt32());
            walked.AddRange(Names(page));
        }

        Assert.Equal(expected, walked);
    }

    private static List<string> Names(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => i.TryGetProperty("user", out var owner) ? $"{owner.GetString()}/{i.GetProperty("name").GetString()}" : i.GetProperty("name").GetString()!)];
}
