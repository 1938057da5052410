using Microsoft.Playwright;
using Seismo.Tests.Support;

namespace Seismo.Dashboard.Tests.Support;

/// <summary>
/// One real Seismo on a loopback Kestrel port and one headless Chromium for a test class. Playwright drives the
/// system's Chromium (<see cref="ChromiumPath"/>); its own browser download is never used. The Playwright driver
/// (node and playwright-core) comes with the Microsoft.Playwright package and is copied to the test output.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium package; <c>SEISMO_CHROMIUM</c> points elsewhere.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("SEISMO_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public SeismoFactory Seismo { get; } = new();
    public Uri BaseAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    private IPlaywright _playwright = null!;

    public async Task InitializeAsync()
    {
        BaseAddress = Seismo.StartKestrel();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Containers and CI runners have a small /dev/shm and often no user namespaces.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Seismo.DisposeAsync();
    }

    /// <summary>A new browser context (its own session storage) with a page that records console errors.</summary>
    public async Task<DashboardPage> OpenAsync(int width = 1366, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        return new DashboardPage(context, page);
    }
}
