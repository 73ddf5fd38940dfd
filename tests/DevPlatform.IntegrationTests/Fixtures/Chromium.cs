using Microsoft.Playwright;

namespace DevPlatform.IntegrationTests.Fixtures;

/// <summary>
/// The real Chromium (Debian's package) driven through Microsoft.Playwright; never `playwright install`. Each
/// <see cref="SignInAsync"/> is a fresh browser context (its own cookies) signed in with the dev login form.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";
    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static async Task<Chromium> LaunchAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: apt-get install chromium");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable, Headless = true, Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>A page signed in as <paramref name="user"/> through the sign-in form, in the given time zone and viewport.</summary>
    public async Task<IPage> SignInAsync(Uri hub, string user, string timeZone = "Europe/Berlin", int width = 1280, int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = hub.ToString().TrimEnd('/'), TimezoneId = timeZone, Locale = "en-GB", ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/hub/login");
        await page.GetByLabel("Username").FillAsync(user);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/hub/login", StringComparison.Ordinal));
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
