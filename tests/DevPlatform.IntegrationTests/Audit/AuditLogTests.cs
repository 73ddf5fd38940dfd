using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Audit;

public sealed class AuditLogTests : IAsyncLifetime
{
    private PlatformFactory factory = null!;
    private HttpClient admin = null!;

    public async Task InitializeAsync()
    {
        factory = await PlatformFactory.CreateAsync(new Dictionary<string, string?> { ["Platform:AdminName"] = "ops-alice" });
        admin = factory.CreateAdminClient();
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Changes_RecordedWithActorBeforeAndAfter_UnchangedWritesNothing()
    {
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/users", new { name = "alice" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await admin.PutAsJsonAsync("/api/users/alice", new { name = "alice", displayName = "Alice" }));
        await ApiAssert.OkAsync(await admin.PutAsJsonAsync("/api/users/alice", new { name = "alice", displayName = "Alice" }));
        await admin.DeleteAsync("/api/users/alice");
        await ApiAssert.FieldErrorAsync(await admin.PostAsJsonAsync("/api/users", new { name = "BAD" }), "name");

        var audit = await ApiAssert.OkAsync(await admin.GetAsync("/api/audit?resourceType=user&resourceName=alice"));
        var events = audit.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["delete", "update", "create"], events.Select(e => e.GetProperty("action").GetString()));
        Assert.All(events, e => Assert.Equal("ops-alice", e.GetProperty("actor").GetString()));
        var update = events[1];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, update.GetProperty("before").GetProperty("displayName").ValueKind);
        Assert.Equal("Alice", update.GetProperty("after").GetProperty("displayName").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, events[0].GetProperty("after").ValueKind);
        Assert.Equal(3, (await ApiAssert.OkAsync(await admin.GetAsync("/api/audit"))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Filters_ByActionAndTime()
    {
        await ApiAssert.OkAsync(await admin.PostAsJsonAsync("/api/groups", new { name = "lab-b" }), HttpStatusCode.Created);
        var creates = await ApiAssert.OkAsync(await admin.GetAsync("/api/audit?action=create"));
        Assert.Equal("lab-b", creates.GetProperty("items")[0].GetProperty("resourceName").GetString());
        var future = await ApiAssert.OkAsync(await admin.GetAsync($"/api/audit?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}"));
        Assert.Equal(0, future.GetProperty("total").GetInt32());
    }
}
