using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Audit;

public sealed class AuditLogTests : AdminApiTest
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Platform:AdminName"] = "ops-alice" };

    [Fact]
    public async Task Changes_RecordedWithActorBeforeAndAfter_UnchangedWritesNothing()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "alice" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/users/alice", new { name = "alice", displayName = "Alice" }));
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/users/alice", new { name = "alice", displayName = "Alice" }));
        await Admin.DeleteAsync("/api/users/alice");
        await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "BAD" }), "name");

        var audit = await ApiAssert.OkAsync(await Admin.GetAsync("/api/audit?resourceType=user&resourceName=alice"));
        var events = audit.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["delete", "update", "create"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.All(events, e => Assert.Equal("ops-alice", e.GetProperty("actor").GetString()));
        var update = events[1];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, update.GetProperty("before").GetProperty("displayName").ValueKind);
        Assert.Equal("Alice", update.GetProperty("after").GetProperty("displayName").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, events[0].GetProperty("after").ValueKind);
        var all = (await ApiAssert.OkAsync(await Admin.GetAsync("/api/audit"))).GetProperty("items").EnumerateArray().Select(e => $"{e.GetProperty("action").GetString()} {e.GetProperty("resourceType").GetString()}");
        Assert.Equal(["delete user", "retire home", "update user", "create user"], all); // deleting a user first retires their home; the unchanged write and the refused one wrote nothing
    }

    [Fact]
    public async Task Filters_ByActionAndTime()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = "lab-b" }), HttpStatusCode.Created);
        var creates = await ApiAssert.OkAsync(await Admin.GetAsync("/api/audit?action=create"));
        Assert.Equal("lab-b", creates.GetProperty("items")[0].GetProperty("resourceName").GetString());
        var future = await ApiAssert.OkAsync(await Admin.GetAsync($"/api/audit?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}"));
        Assert.Equal(0, future.GetProperty("total").GetInt32());
    }
}
