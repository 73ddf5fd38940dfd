using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Environments;

public sealed class ConcurrentStartLimitTests
{
    [Fact]
    public async Task PastTheHubWideStartLimit_Returns429WithRetryAfter()
    {
        await using var host = await PlatformFactory.CreateLiveAsync(new Dictionary<string, string?> { ["Compute:ConcurrentStartLimit"] = "0" });
        await EnvironmentCatalog.SeedAsync(host.CreateAdminClient());
        using var alice = new Browser(host.BaseAddress);
        await alice.LoginAsync("alice");
        var response = await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "x", profile = "web" });
        await ApiAssert.ProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromSeconds(10), response.Headers.RetryAfter?.Delta);
    }
}
