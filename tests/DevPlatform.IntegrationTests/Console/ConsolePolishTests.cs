using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Playwright;

namespace DevPlatform.IntegrationTests.Console;

/// <summary>The rough edges a new user met in the console's first hour, each checked in real Chromium.</summary>
public sealed class ConsolePolishTests : ChromiumHostTest
{
    [Fact]
    public async Task Launcher_ChoosesTheFirstProfile_AndTheBrowserChecksTheName()
    {
        var alice = await Chromium.SignInAsync(Host.BaseAddress, "alice");
        var complaints = new List<string>();
        alice.Console += (_, message) => complaints.Add(message.Text);
        await alice.GotoAsync("/launch");
        Assert.Equal(1, await alice.Locator("a.choice[aria-current=true]").CountAsync()); // two profiles: the first is chosen
        await alice.GetByRole(AriaRole.Heading, new() { Name = "2. Set it up" }).WaitForAsync();

        var name = alice.GetByLabel("Name");
        await name.FillAsync("Bad_Name");
        Assert.True(await name.EvaluateAsync<bool>("e => e.validity.patternMismatch"), "the browser accepted a name the API refuses");
        await name.FillAsync("good-name-1");
        Assert.True(await name.EvaluateAsync<bool>("e => e.validity.valid"));
        Assert.DoesNotContain(complaints, c => c.Contains("regular expression", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GroupPolicy_EmptyFieldsSayNoLimit_AndProblemsAreNamedInTheAlert()
    {
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "carol", admin = true }), HttpStatusCode.Created);
        var carol = await Chromium.SignInAsync(Host.BaseAddress, "carol");
        await carol.GotoAsync("/admin/groups/lab");
        Assert.Equal("no limit", await carol.GetByLabel("CPU quota").GetAttributeAsync("placeholder"));
        await carol.GetByLabel("Memory quota").FillAsync("lots");
        await carol.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        var alert = carol.GetByRole(AriaRole.Alert);
        await alert.WaitForAsync();
        Assert.Contains("memoryQuota:", await alert.TextContentAsync(), StringComparison.Ordinal);

        await carol.GotoAsync("/admin/jobs");
        var every = await carol.GetByRole(AriaRole.Row).Filter(new() { HasText = "reconciler" }).Locator("td").Nth(1).TextContentAsync();
        Assert.Matches(@"^\d+ (s|min)$", every!.Trim());
        Assert.NotEqual("0 min", every.Trim());
    }

    [Fact]
    public async Task Tokens_CopyButton_AndAnEmptyNameAfterCreating()
    {
        var alice = await Chromium.SignInAsync(Host.BaseAddress, "alice");
        await alice.GotoAsync("/tokens");
        await alice.GetByLabel("Name").FillAsync("laptop");
        await alice.GetByLabel("read-only").CheckAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        await alice.GetByText("Token laptop created.").WaitForAsync();
        Assert.Equal("", await alice.GetByLabel("Name").InputValueAsync());
        await alice.GetByRole(AriaRole.Button, new() { Name = "Copy token laptop" }).ClickAsync();
        Assert.Matches("Copied|Selected", await alice.Locator("[data-copied]").TextContentAsync() ?? "");
    }

    [Fact]
    public async Task EnvironmentPage_LongLogLinesWrap_OnAPhone_AndDeletingSaysSo()
    {
        await ApiAssert.OkAsync(await Alice.Client.PostAsJsonAsync("/api/users/alice/environments", new { name = "wide", profile = "web" }), HttpStatusCode.Accepted);
        await EnvironmentCatalog.WaitForStateAsync(Alice.Client, "alice", "wide", "running");
        await Alice.Client.GetAsync(new Uri($"/user/alice/wide/{new string('x', 1500)}", UriKind.Relative)); // the workload logs the request line

        var phone = await Chromium.SignInAsync(Host.BaseAddress, "alice", width: 390, height: 844);
        await phone.GotoAsync("/environments/wide");
        Assert.Contains(new string('x', 200), await phone.Locator("pre.log").TextContentAsync(), StringComparison.Ordinal);
        Assert.True(await phone.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth"), "the environment page scrolls sideways");

        phone.Dialog += (_, dialog) => dialog.AcceptAsync();
        await phone.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await phone.GetByText("Environment wide was deleted. Your home folder and its files stay.").WaitForAsync();
    }

    [Fact]
    public async Task Storage_NotScannedYet_ShowsNoSize()
    {
        var alice = await Chromium.SignInAsync(Host.BaseAddress, "alice");
        await alice.GotoAsync("/storage");
        var home = alice.GetByRole(AriaRole.Row).Filter(new() { HasText = "not scanned yet" }).First;
        await home.WaitForAsync();
        Assert.DoesNotContain("0 KiB", await home.TextContentAsync(), StringComparison.Ordinal);
    }
}
