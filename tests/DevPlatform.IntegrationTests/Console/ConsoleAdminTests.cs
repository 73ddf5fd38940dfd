using System.Net;
using System.Net.Http.Json;
using DevPlatform.IntegrationTests.Fixtures;
using Microsoft.Playwright;

namespace DevPlatform.IntegrationTests.Console;

/// <summary>
/// The console's admin side in real Chromium: an admin's quota change shows in a member's launcher and is enforced;
/// a plain user cannot reach admin pages; every main page renders, labels its inputs, fits a phone, and shows times
/// in the viewer's zone. Screenshots of the main pages go to $CONSOLE_SCREENSHOTS (docs/screenshots in the repo).
/// </summary>
public sealed class ConsoleAdminTests : ChromiumHostTest
{
    private static readonly string[] MainPages =
    [
        "/", "/environments/analysis", "/launch?group=lab&profile=web", "/services", "/storage", "/keys", "/tokens", "/admin/users", "/admin/groups", "/admin/groups/lab", "/admin/catalog",
        "/admin/catalog/profiles/web", "/admin/environments", "/admin/jobs", "/admin/costs", "/admin/audit", "/admin/plugins", "/admin/cluster",
    ];

    protected override async Task SeedAsync()
    {
        await base.SeedAsync();
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users", new { name = "carol", admin = true }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task AnAdminsQuotaChange_ShowsInTheLauncher_AndIsEnforced()
    {
        var carol = await Chromium.SignInAsync(Host.BaseAddress, "carol");
        await carol.GotoAsync("/admin/groups/lab");
        await carol.GetByLabel("CPU quota").FillAsync("two");
        await carol.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        var fieldError = await carol.Locator("#cpuQuota-error").TextContentAsync();
        Assert.Contains("'two'", fieldError, StringComparison.Ordinal); // beside the field, the value kept for correction
        Assert.Equal("two", await carol.GetByLabel("CPU quota").InputValueAsync());
        await carol.GetByLabel("CPU quota").FillAsync("2");
        await carol.GetByRole(AriaRole.Button, new() { Name = "Save policy" }).ClickAsync();
        await carol.GetByText("Policy saved.").WaitForAsync();

        var alice = await Chromium.SignInAsync(Host.BaseAddress, "alice");
        await alice.GotoAsync("/launch?group=lab&profile=web");
        await alice.GetByText("0 of 2 CPU in use").WaitForAsync();
        await alice.GetByLabel("Name").FillAsync("big");
        await alice.GetByLabel("large").CheckAsync();
        await alice.GetByRole(AriaRole.Button, new() { Name = "Launch" }).ClickAsync();
        var alert = alice.GetByRole(AriaRole.Alert);
        await alert.WaitForAsync();
        Assert.Contains("Group 'lab' has 0 of its 2 CPU quota in use", await alert.TextContentAsync(), StringComparison.Ordinal);
        Assert.EndsWith("/launch?group=lab&profile=web", alice.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APlainUser_SeesNoAdministration_AndIsRefusedAdminPages()
    {
        var alice = await Chromium.SignInAsync(Host.BaseAddress, "alice");
        Assert.Equal(0, await alice.GetByRole(AriaRole.Heading, new() { Name = "Administration" }).CountAsync());
        foreach (var path in new[] { "/admin/users", "/admin/costs", "/admin/groups/lab", "/admin/catalog/pools/cpu" })
        {
            var response = await alice.GotoAsync(path);
            Assert.True(response!.Status is 403, $"{path} answered {response.Status}");
            Assert.Equal(0, await alice.Locator("table").CountAsync());
        }

        Assert.Contains("This page is for administrators", await (await alice.GotoAsync("/admin/users"))!.TextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryMainPage_Renders_LabelsItsInputs_FitsAPhone_AndShowsLocalTimes()
    {
        var folder = Environment.GetEnvironmentVariable("CONSOLE_SCREENSHOTS") is { Length: > 0 } wanted ? Directory.CreateDirectory(wanted).FullName
            : Directory.CreateTempSubdirectory("devplatform-screens-").FullName;
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users/carol/ssh-keys", new
        {
            name = "laptop", publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl carol@laptop",
        }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PutAsJsonAsync("/api/groups/lab/members/carol", new { role = "manager" }), HttpStatusCode.Created);
        await ApiAssert.OkAsync(await Admin.PostAsJsonAsync("/api/users/carol/environments", new { name = "analysis", profile = "web" }), HttpStatusCode.Accepted);
        await Eventually.UntilAsync(async () => (await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/users/carol/environments/analysis")).GetProperty("state").GetString(),
            state => state == "running", TimeSpan.FromSeconds(60), "carol's environment to run");
        await ApiAssert.OkAsync(await Admin.PostAsync(new Uri("/api/jobs/usage-meter/run", UriKind.Relative), null), HttpStatusCode.Accepted);
        await Eventually.UntilAsync(async () => (await Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/usage?by=user")).GetArrayLength(), n => n > 0,
            TimeSpan.FromSeconds(30), "the meter to record carol's usage");
        var carol = await Chromium.SignInAsync(Host.BaseAddress, "carol");
        foreach (var path in MainPages)
        {
            var response = await carol.GotoAsync(path);
            Assert.True(response!.Ok, $"{path} answered {response.Status}");
            Assert.Equal(1, await carol.Locator("h1").CountAsync());
            var unlabelled = await carol.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                  .map(e => e.outerHTML.slice(0, 80))
                """);
            Assert.True(unlabelled.Length == 0, $"{path}: inputs without a label: {string.Join(" | ", unlabelled)}");
            await carol.ScreenshotAsync(new() { Path = Path.Combine(folder, Shot(path)), FullPage = true });
        }

        await carol.GotoAsync("/keys");
        var added = await carol.Locator("time[data-local]").First.TextContentAsync();
        Assert.DoesNotContain("UTC", added, StringComparison.Ordinal); // formatted in the viewer's zone (Europe/Berlin here)

        var phone = await Chromium.SignInAsync(Host.BaseAddress, "alice", width: 390, height: 844);
        foreach (var path in new[] { "/", "/launch?group=lab&profile=web", "/keys" })
        {
            await phone.GotoAsync(path);
            Assert.True(await phone.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth <= window.innerWidth"), $"{path} scrolls sideways on a phone");
        }

        await phone.GotoAsync("/launch?group=lab&profile=web");
        await phone.ScreenshotAsync(new() { Path = Path.Combine(folder, "phone-launch.png"), FullPage = true });
    }

    private static string Shot(string path) =>
        (path == "/" ? "home" : path.Split('?')[0].Trim('/').Replace('/', '-')) + ".png";
}
