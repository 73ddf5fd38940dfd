using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using DevPlatform.IntegrationTests.Fixtures;

namespace DevPlatform.IntegrationTests.Environments;

/// <summary>code-server (installed by scripts/install-code-server.sh) through the same proxy, its prefix stripped.</summary>
public sealed partial class VsCodeTests
{
    [GeneratedRegex("href=\"(stable-[^\"]+/static/[^\"]+\\.css)\"")]
    private static partial Regex Stylesheet();

    [Fact]
    public async Task VsCode_WorkbenchAndAssetsLoadThroughProxy()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => File.Exists(Path.Combine(d, "code-server")));
        Assert.True(onPath, "code-server is not on PATH; install it with: sudo bash scripts/install-code-server.sh");
        await using var host = await PlatformFactory.CreateLiveAsync();
        await EnvironmentCatalog.SeedAsync(host.CreateAdminClient(), null, new
        {
            name = "vscode", pool = "cpu", kind = "vscode",
            images = new[] { new { name = "code", reference = "codercom/code-server:4.139.1", @default = true } },
            sizes = new[] { new { name = "small", cpuRequest = "500m", cpuLimit = "2", memoryRequest = "1Gi", memoryLimit = "2Gi" } },
        });
        using var alice = new Browser(host.BaseAddress);
        await alice.LoginAsync("alice");
        await ApiAssert.OkAsync(await alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "code", profile = "vscode" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(alice.Client, "alice", "code", "running", 60);
        try
        {
            var (page, visited) = await alice.FollowAsync("/user/alice/code/");
            var html = await page.Content.ReadAsStringAsync();
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode} after {string.Join(" -> ", visited)}");
            Assert.Contains("code/didStartRenderer", html, StringComparison.Ordinal);
            Assert.All(visited, v => Assert.StartsWith("/user/alice/code/", v, StringComparison.Ordinal)); // redirects stay under the prefix

            var stylesheet = Stylesheet().Match(html);
            Assert.True(stylesheet.Success, "the workbench page names no stylesheet");
            var css = await alice.Client.GetAsync(new Uri($"/user/alice/code/{stylesheet.Groups[1].Value}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
            Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await alice.Client.DeleteAsync(new Uri("/api/users/alice/environments/code", UriKind.Relative));
        }
    }
}
