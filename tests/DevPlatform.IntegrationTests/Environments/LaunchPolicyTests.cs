using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Environments;

/// <summary>Every refusal says which rule, with numbers a person can act on, and starts nothing.</summary>
public sealed class LaunchPolicyTests : LiveHostTest
{
    protected override async Task SeedAsync()
    {
        await EnvironmentCatalog.SeedAsync(Admin, new { maxRunningEnvironmentsPerUser = 1, cpuQuota = "3", memoryQuota = "64Gi", acceleratorQuota = 0 },
            EnvironmentCatalog.WebProfile("byoi", allowCustomImage: true, customImagePattern: @"ghcr\.io/my-lab/.+"),
            new
            {
                name = "secret", pool = "cpu", kind = "custom", command = new[] { "true" },
                images = new[] { new { name = "x", reference = "x:1", @default = true } },
                sizes = new[] { new { name = "s", cpuRequest = "1", cpuLimit = "1", memoryRequest = "1Gi", memoryLimit = "1Gi" } },
            });
        // 'secret' exists but only group 'staff' may use it.
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/groups", new { name = "staff" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab/policy", new { allowedProfiles = new[] { "web", "jupyter", "byoi" }, maxRunningEnvironmentsPerUser = 1, cpuQuota = "3", memoryQuota = "64Gi", acceleratorQuota = 0 }));
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/staff/policy", new { allowedProfiles = new[] { "secret" } }));
    }

    private Task<HttpResponseMessage> LaunchAsync(object body) => Alice.Client.PostAsJsonAsync("/api/users/alice/environments", body);

    [Fact]
    public async Task ProfileNotAllowedForGroup_Returns403ListingAllowed()
    {
        var problem = await ApiAssert.ProblemAsync(await LaunchAsync(new { name = "s1", profile = "secret" }), HttpStatusCode.Forbidden);
        Assert.Contains("None of your groups (lab) allows profile 'secret'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("web", problem.GetProperty("allowedProfiles").EnumerateArray().Select(p => p.GetString()));
        await ApiAssert.ProblemAsync(await LaunchAsync(new { name = "s1", profile = "web", group = "staff" }), HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("web", "ghcr.io/my-lab/env:1", "Custom image not allowed.")]
    [InlineData("byoi", "docker.io/evil/miner:latest", "Image not on the allow-list.")]
    [InlineData("byoi", "ghcr.io/my-lab/env:1; rm -rf /", "Not an image reference.")]
    public async Task CustomImage_RefusedWith422(string profile, string image, string title)
    {
        var problem = await ApiAssert.ProblemAsync(await LaunchAsync(new { name = "img", profile, image }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task CustomImage_MatchingAllowList_Accepted()
    {
        var launched = await ApiAssert.OkAsync(await LaunchAsync(new { name = "first", profile = "byoi", image = "ghcr.io/my-lab/env:1" }), HttpStatusCode.Accepted);
        Assert.Equal("ghcr.io/my-lab/env:1", launched.GetProperty("image").GetString());
    }

    [Fact]
    public async Task Limits_RunningPerUserAndCpuQuota_Return409WithLimitValueAndUse()
    {
        await ApiAssert.OkAsync(await LaunchAsync(new { name = "first", profile = "web" }), HttpStatusCode.Accepted);
        var running = await ApiAssert.ProblemAsync(await LaunchAsync(new { name = "second", profile = "web" }), HttpStatusCode.Conflict);
        Assert.Equal("maxRunningEnvironmentsPerUser", running.GetProperty("limit").GetString());
        Assert.Equal("1", running.GetProperty("value").GetString());
        Assert.Equal("1", running.GetProperty("used").GetString());

        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab/policy", new { allowedProfiles = new[] { "web" }, maxRunningEnvironmentsPerUser = 5, cpuQuota = "3" }));
        var cpu = await ApiAssert.ProblemAsync(await LaunchAsync(new { name = "big", profile = "web", size = "large" }), HttpStatusCode.Conflict);
        Assert.Equal("cpuQuota", cpu.GetProperty("limit").GetString());
        Assert.Equal("3", cpu.GetProperty("value").GetString());
        Assert.Equal("0.500", cpu.GetProperty("used").GetString());
        Assert.Contains("asks for 4 more", cpu.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var list = await Alice.Client.GetFromJsonAsync<JsonElement>("/api/users/alice/environments");
        Assert.Equal(["first"], list.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Budget_Exhausted_Returns402()
    {
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab/policy", new { allowedProfiles = new[] { "web" }, monthlyBudget = 0 }));
        var problem = await ApiAssert.ProblemAsync(await LaunchAsync(new { name = "b", profile = "web" }), HttpStatusCode.PaymentRequired);
        Assert.Equal("monthlyBudget", problem.GetProperty("limit").GetString());
    }

    [Fact]
    public async Task DuplicateName_Returns409()
    {
        await ApiAssert.OkAsync(await LaunchAsync(new { name = "first", profile = "web" }), HttpStatusCode.Accepted);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab/policy", new { allowedProfiles = new[] { "web" }, maxRunningEnvironmentsPerUser = 5 }));
        var problem = await ApiAssert.ProblemAsync(await LaunchAsync(new { name = "first", profile = "web" }), HttpStatusCode.Conflict);
        Assert.Contains("already have an environment named 'first'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
