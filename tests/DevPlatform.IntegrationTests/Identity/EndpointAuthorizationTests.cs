using System.Net;
using System.Text;
using System.Text.Json;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Identity;

/// <summary>Every endpoint the OpenAPI document lists is authorised: anonymous → 401; a plain user → 403 on admin endpoints, others' resources and groups they do not manage (200 only on /api/me).</summary>
public sealed class EndpointAuthorizationTests
{
    /// <summary>About the caller themselves: any signed-in user.</summary>
    private static readonly string[] SelfService = ["/api/me", "/api/me/budgets", "/api/me/storage", "/api/me/sftp", "/api/me/launch-options", "/api/me/image-check", "/api/me/services"];

    [Fact]
    public async Task EveryDocumentedEndpoint_RefusesAnonymousAndPlainUsersWhereItShould()
    {
        await using var host = await PlatformFactory.CreateLiveAsync();
        var admin = host.CreateAdminClient();
        await EnvironmentCatalog.SeedAsync(admin);
        using var bob = new Browser(host.BaseAddress);
        await bob.LoginAsync("bob");
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };

        var document = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;
        var checkedCount = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch"))
            {
                // Owned resources are asked for as alice's, so for bob they belong to someone else.
                var url = path.Name.Replace("{user}", "alice", StringComparison.Ordinal).Replace("{name}", "lab", StringComparison.Ordinal);
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                Assert.True(HttpStatusCode.Unauthorized == await StatusAsync(anonymous, method, url), $"anonymous {method} {url} was not refused with 401");
                var bobStatus = await StatusAsync(bob.Client, method, url);
                var expected = SelfService.Contains(path.Name) ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
                Assert.True(bobStatus == expected, $"bob {method} {url} answered {(int)bobStatus}, expected {(int)expected}");
                checkedCount++;
            }
        }

        Assert.True(checkedCount >= 30, $"only {checkedCount} operations were found in the OpenAPI document");
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, HttpMethod method, string url)
    {
        using var request = new HttpRequestMessage(method, url);
        if (method != HttpMethod.Get && method != HttpMethod.Delete)
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
