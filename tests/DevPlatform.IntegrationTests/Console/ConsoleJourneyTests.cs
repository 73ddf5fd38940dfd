using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Playwright;

namespace DevPlatform.IntegrationTests.Console;

/// <summary>The console in real Chromium: what a user does from signing in to stopping an environment.</summary>
public sealed class ConsoleJourneyTests : ChromiumHostTest
{

    [Fact]
    public async Task AUser_LaunchesFromTheLauncher_WatchesItStart_OpensIt_AndStopsIt()
    {
        var page = await Chromium.SignInAsync(Host.BaseAddress, "alice");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My environments" }));
        await page.GetByRole(AriaRole.Link, new() { Name = "Launch your first environment" }).ClickAsync();

        await page.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "web" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("nb");
        await page.GetByLabel("large").CheckAsync();
        Assert.Contains("per hour", await page.Locator("output[data-estimate]").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch" }).ClickAsync();

        await page.WaitForURLAsync("**/environments/nb?open=1");
        await page.WaitForURLAsync(url => url.EndsWith("/user/alice/nb/", StringComparison.Ordinal), new() { Timeout = 60_000 }); // opened through the proxy once ready
        Assert.Contains("\"method\": \"GET\"", await page.ContentAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Cell).Filter(new() { HasText = "running" }));
        await page.GetByRole(AriaRole.Link, new() { Name = "Details" }).ClickAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start again" }).WaitForAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByText("Starting on the local backend")); // the progress it showed while starting
        await Expect(page.GetByText("Stop requested by alice"));
    }

    private static Task Expect(ILocator locator) => locator.WaitForAsync();
}
