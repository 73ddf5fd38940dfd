using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Tenancy;

public sealed class UsersApiTests : AdminApiTest
{
    [Fact]
    public async Task Crud_CreateReadReplaceDelete_RoundTrips()
    {
        var created = await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "alice", displayName = "Alice A.", email = "alice@example.org" }), HttpStatusCode.Created);
        Assert.Equal("alice", created.GetProperty("name").GetString());

        var fetched = await ApiAssert.OkAsync(await Admin.GetAsync("/api/users/alice"));
        Assert.Equal("Alice A.", fetched.GetProperty("displayName").GetString());

        var replaced = await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/users/alice", new { name = "alice", admin = true }));
        Assert.True(replaced.GetProperty("admin").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, replaced.GetProperty("email").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync("/api/users/alice")).StatusCode);
        await ApiAssert.ProblemAsync(await Admin.GetAsync("/api/users/alice"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Create_Duplicate_Returns409()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "bob" }), HttpStatusCode.Created);
        var problem = await ApiAssert.ProblemAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "bob" }), HttpStatusCode.Conflict);
        Assert.Contains("already exists", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("../etc")]
    [InlineData("-alice")]
    [InlineData("a_b")]
    [InlineData("x234567890123456789012345678901234567890123456789012345678901234")]
    public async Task Create_NameNotDns1123_Returns400AndStoresNothing(string name)
    {
        var message = await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/users", new { name }), "name");
        Assert.Contains("DNS-1123", message, StringComparison.Ordinal);
        var list = await ApiAssert.OkAsync(await Admin.GetAsync("/api/users"));
        Assert.Equal(0, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Create_BadEmailAndUnknownField_NameTheField()
    {
        Assert.Contains("e-mail", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "carol", email = "not-an-address" }), "email"), StringComparison.Ordinal);
        Assert.Contains("not a known field", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "carol", isRoot = true }), "isRoot"), StringComparison.Ordinal);
        Assert.Contains("missing required", await ApiAssert.FieldErrorAsync(await Admin.PostAsJsonAsync("/api/users", new { displayName = "no name" }), "body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_RenameOrUnknown_Refused()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "dave" }), HttpStatusCode.Created);
        Assert.Contains("cannot be changed", await ApiAssert.FieldErrorAsync(await Admin.PutAsJsonAsync("/api/users/dave", new { name = "david" }), "name"), StringComparison.Ordinal);
        await ApiAssert.ProblemAsync(await Admin.PutAsJsonAsync("/api/users/erin", new { name = "erin" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_PagesAndFilters()
    {
        foreach (var name in new[] { "u1", "u2", "u3", "u4", "u5" })
        {
            await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name, admin = name == "u4" }), HttpStatusCode.Created);
        }

        var page = await ApiAssert.OkAsync(await Admin.GetAsync("/api/users?offset=1&limit=2"));
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(["u2", "u3"], page.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("name").GetString()));

        var admins = await ApiAssert.OkAsync(await Admin.GetAsync("/api/users?admin=true"));
        Assert.Equal("u4", admins.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal(1, admins.GetProperty("total").GetInt32());

        var matching = await ApiAssert.OkAsync(await Admin.GetAsync("/api/users?q=%25"));
        Assert.Equal(0, matching.GetProperty("total").GetInt32());

        Assert.Contains("between 1 and 500", await ApiAssert.FieldErrorAsync(await Admin.GetAsync("/api/users?limit=0"), "limit"), StringComparison.Ordinal);
        await ApiAssert.ProblemAsync(await Admin.GetAsync("/api/users?limit=abc"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Api_WithoutOrWithWrongToken_Returns401()
    {
        using var anonymous = Factory.CreateClient();
        await ApiAssert.ProblemAsync(await anonymous.GetAsync("/api/users"), HttpStatusCode.Unauthorized);
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        var problem = await ApiAssert.ProblemAsync(await anonymous.PostAsJsonAsync("/api/users", new { name = "mallory" }), HttpStatusCode.Unauthorized);
        Assert.Contains("not valid", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        anonymous.DefaultRequestHeaders.Authorization = new("token", PlatformFactory.AdminToken);
        await ApiAssert.OkAsync(await anonymous.GetAsync("/api/users"));
    }
}
