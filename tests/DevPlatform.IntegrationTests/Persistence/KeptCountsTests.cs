using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Npgsql;

namespace DevPlatform.IntegrationTests.Persistence;

/// <summary>
/// The totals the users, members and audit lists report come from counts PostgreSQL's triggers keep, not from counting the
/// rows: through creates (one by one and many in one statement), admin changes, deletes that cascade to memberships, a
/// rolled-back insert, a truncate, and folding while others write, every total equals <c>count(*)</c> of the rows.
/// </summary>
public sealed class KeptCountsTests : AdminApiTest
{
    protected override async Task SeedAsync()
    {
        foreach (var group in new[] { "lab-a", "lab-b" })
        {
            await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = group }), HttpStatusCode.Created);
        }
    }

    [Fact]
    public async Task ListTotals_EqualTheRows_ThroughCreatesAdminChangesCascadesRollbackAndTruncate()
    {
        foreach (var (name, admin) in new[] { ("alice", false), ("bob", true), ("carol", false) })
        {
            await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name, admin }), HttpStatusCode.Created);
            await ApiAssert.OkAsync(await Admin.PutAsJsonAsync($"/api/groups/lab-a/members/{name}", new { role = "member" }), HttpStatusCode.Created);
        }

        await ExecuteSqlAsync("INSERT INTO users (name, admin, disabled, created_at, updated_at) SELECT 'bulk' || i, i % 10 = 0, false, now(), now() FROM generate_series(1, 120) i");
        await ExecuteSqlAsync("INSERT INTO memberships (group_id, user_id, role, created_at) SELECT (SELECT id FROM groups WHERE name = 'lab-b'), id, 'Member', now() FROM users WHERE name LIKE 'bulk%'");
        await AssertTotalsMatchAsync("created");

        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/users/alice", new { name = "alice", admin = true }));
        await ExecuteSqlAsync("UPDATE users SET admin = NOT admin WHERE name IN ('bulk1', 'bulk10', 'bulk11')");
        await ExecuteSqlAsync("UPDATE users SET display_name = 'unchanged admin flag' WHERE name LIKE 'bulk%'");
        await AssertTotalsMatchAsync("admin changed");

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync("/api/users/carol")).StatusCode); // and her membership of lab-a
        await ExecuteSqlAsync("DELETE FROM users WHERE name IN ('bulk2', 'bulk3', 'bulk20')");
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync("/api/groups/lab-b")).StatusCode); // 117 memberships
        await AssertTotalsMatchAsync("deleted");

        await using (var connection = new NpgsqlConnection(Factory.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO users (name, admin, disabled, created_at, updated_at) VALUES ('never', false, false, now(), now())", connection, transaction);
            await insert.ExecuteNonQueryAsync();
            await transaction.RollbackAsync();
        }

        await AssertTotalsMatchAsync("rolled back");

        Assert.Equal(HttpStatusCode.Accepted, (await Admin.PostAsync("/api/jobs/row-counts/run", null)).StatusCode);
        await ExecuteSqlAsync("SELECT compact_row_counts()"); // folded here too, whatever the job's timing
        Assert.Equal(await ScalarSqlAsync("SELECT count(DISTINCT (table_name, key)) FROM row_counts"), await ScalarSqlAsync("SELECT count(*) FROM row_counts"));
        await AssertTotalsMatchAsync("folded");

        await ExecuteSqlAsync("TRUNCATE audit_events");
        await AssertTotalsMatchAsync("audit truncated");
    }

    /// <summary>Eight writers add users one statement at a time while the changes are folded over and over: none is lost or counted twice.</summary>
    [Fact]
    public async Task Folding_WhileOthersWrite_LosesNoChange()
    {
        using var folding = new CancellationTokenSource();
        var folder = Task.Run(async () =>
        {
            var folds = 0;
            while (!folding.IsCancellationRequested || folds == 0)
            {
                await ExecuteSqlAsync("SELECT compact_row_counts()");
                folds++;
            }

            return folds;
        });
        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(Factory.ConnectionString);
            await connection.OpenAsync();
            for (var i = 0; i < 40; i++)
            {
                await using var insert = new NpgsqlCommand(
                    i % 4 == 3 ? $"DELETE FROM users WHERE name = 'w{writer}-{i - 1}'" : $"INSERT INTO users (name, admin, disabled, created_at, updated_at) VALUES ('w{writer}-{i}', {(i % 5 == 0 ? "true" : "false")}, false, now(), now())",
                    connection);
                await insert.ExecuteNonQueryAsync();
            }
        })));
        await folding.CancelAsync();
        Assert.True(await folder > 0);

        Assert.Equal(8 * 20, await ScalarSqlAsync("SELECT count(*) FROM users WHERE name LIKE 'w%'")); // each writer added 30 and deleted 10 of them
        await AssertTotalsMatchAsync("written while folded");
    }

    private async Task AssertTotalsMatchAsync(string after)
    {
        (string List, string Rows)[] pairs =
        [
            ("/api/users", "SELECT count(*) FROM users"),
            ("/api/users?admin=true", "SELECT count(*) FROM users WHERE admin"),
            ("/api/users?admin=false", "SELECT count(*) FROM users WHERE NOT admin"),
            ("/api/users?group=lab-a", "SELECT count(*) FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.name = 'lab-a'"),
            ("/api/groups/lab-a/members", "SELECT count(*) FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.name = 'lab-a'"),
            ("/api/audit", "SELECT count(*) FROM audit_events"),
            ("/api/audit?resourceType=user", "SELECT count(*) FROM audit_events WHERE resource_type = 'user'"),
            ("/api/users?offset=100000", "SELECT count(*) FROM users"), // past the end: no row carries the total
            // filters the totals are not kept by: counted, never answered with a kept sum
            ("/api/users?group=lab-a&admin=true", "SELECT count(*) FROM users u WHERE admin AND EXISTS (SELECT 1 FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.user_id = u.id AND g.name = 'lab-a')"),
            ("/api/users?disabled=false", "SELECT count(*) FROM users WHERE NOT disabled"),
            ("/api/users?q=bulk1", "SELECT count(*) FROM users WHERE name ILIKE '%bulk1%'"),
            ("/api/groups/lab-a/members?role=member", "SELECT count(*) FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.name = 'lab-a' AND m.role = 'Member'"),
            ("/api/audit?resourceType=user&action=create", "SELECT count(*) FROM audit_events WHERE resource_type = 'user' AND action = 'create'"),
        ];
        foreach (var (list, rows) in pairs)
        {
            var expected = await ScalarSqlAsync(rows); // read before the list: the list's own audit-free GET adds nothing
            var page = await ApiAssert.OkAsync(await Admin.GetAsync(list));
            Assert.True(expected == page.GetProperty("total").GetInt64(), $"{list} after {after}: total {page.GetProperty("total").GetInt64()}, rows {expected}");
        }

        var groups = await ApiAssert.OkAsync(await Admin.GetAsync("/api/groups"));
        foreach (var group in groups.GetProperty("items").EnumerateArray())
        {
            var name = group.GetProperty("name").GetString();
            var expected = await ScalarSqlAsync($"SELECT count(*) FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.name = '{name}'");
            Assert.True(expected == group.GetProperty("members").GetInt64(), $"group {name} after {after}: members {group.GetProperty("members")}, rows {expected}");
        }

        using var hub = Factory.CreateClient();
        hub.DefaultRequestHeaders.Authorization = new("token", PlatformFactory.AdminToken);
        hub.DefaultRequestHeaders.Accept.ParseAdd("application/jupyterhub-pagination+json");
        var hubPage = await hub.GetFromJsonAsync<JsonElement>("/hub/api/users?limit=1");
        Assert.Equal(await ScalarSqlAsync("SELECT count(*) FROM users"), hubPage.GetProperty("_pagination").GetProperty("total").GetInt64());
    }
}
