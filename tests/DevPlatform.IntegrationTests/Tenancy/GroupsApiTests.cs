using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Tenancy;

public sealed class GroupsApiTests : AdminApiTest
{
    protected override async Task SeedAsync() =>
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = "lab-a", displayName = "Lab A" }), HttpStatusCode.Created);

    [Fact]
    public async Task Members_AddChangeRoleListRemove()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "alice" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab-a/members/alice", new { role = "member" }), HttpStatusCode.Created);
        var changed = await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab-a/members/alice", new { role = "manager" }));
        Assert.Equal("manager", changed.GetProperty("role").GetString());

        var members = await ApiAssert.OkAsync(await Admin.GetAsync("/api/groups/lab-a/members"));
        Assert.Equal("alice", members.GetProperty("items")[0].GetProperty("user").GetString());
        var user = await ApiAssert.OkAsync(await Admin.GetAsync("/api/users/alice"));
        Assert.Equal("lab-a", user.GetProperty("groups")[0].GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync("/api/groups/lab-a/members/alice")).StatusCode);
        await ApiAssert.ProblemAsync(await Admin.DeleteAsync("/api/groups/lab-a/members/alice"), HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(await Admin.PutAsJsonAsync("/api/groups/lab-a/members/nobody", new { role = "member" }), HttpStatusCode.NotFound);
        Assert.Contains("wrong type", await ApiAssert.FieldErrorAsync(await Admin.PutAsJsonAsync("/api/groups/lab-a/members/alice", new { role = "owner" }), "role"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteGroup_RemovesMembershipsButKeepsUsers()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "bob" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab-a/members/bob", new { role = "member" }), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync("/api/groups/lab-a")).StatusCode);
        var user = await ApiAssert.OkAsync(await Admin.GetAsync("/api/users/bob"));
        Assert.Equal(0, user.GetProperty("groups").GetArrayLength());
    }

    [Fact]
    public async Task Policy_ValidQuotas_StoredAndShown()
    {
        var policy = new { allowedProfiles = Array.Empty<string>(), maxRunningEnvironmentsPerUser = 2, cpuQuota = "64", memoryQuota = "512Gi", acceleratorQuota = 4, storageQuota = "1Ti", monthlyBudget = 1500.50m };
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab-a/policy", policy));
        var group = await ApiAssert.OkAsync(await Admin.GetAsync("/api/groups/lab-a"));
        Assert.Equal("512Gi", group.GetProperty("policy").GetProperty("memoryQuota").GetString());
        Assert.Equal(1500.50m, group.GetProperty("policy").GetProperty("monthlyBudget").GetDecimal());
    }

    [Fact]
    public async Task Policy_BadValues_Returns400NamingEachFieldAndStoresNothing()
    {
        var response = await Admin.PutAsJsonAsync("/api/groups/lab-a/policy", new
        {
            allowedProfiles = new[] { "no-such-profile" }, maxRunningEnvironmentsPerUser = 0, cpuQuota = "lots", memoryQuota = "0", acceleratorQuota = -1, monthlyBudget = -5,
        });
        var problem = await ApiAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["acceleratorQuota", "allowedProfiles[0]", "cpuQuota", "maxRunningEnvironmentsPerUser", "memoryQuota", "monthlyBudget"], fields);
        var stored = await ApiAssert.OkAsync(await Admin.GetAsync("/api/groups/lab-a/policy"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stored.GetProperty("cpuQuota").ValueKind);
    }
}
