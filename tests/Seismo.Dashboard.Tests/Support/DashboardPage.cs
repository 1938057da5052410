using Microsoft.Playwright;

namespace Seismo.Dashboard.Tests.Support;

/// <summary>A dashboard tab: signs in, navigates, saves screenshots, and collects every console error and page error.</summary>
public sealed class DashboardPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    public DashboardPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type != "error") return;
            lock (_errors) _errors.Add($"console: {message.Text} at {message.Location}");
        };
        page.PageError += (_, error) => { lock (_errors) _errors.Add($"page error: {error}"); };
    }

    public IPage Page { get; }

    /// <summary>Where screenshots go: TestResults/screenshots under the test output.</summary>
    public static string ScreenshotDir { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;

    public IReadOnlyList<string> Errors { get { lock (_errors) return _errors.ToList(); } }

    public async Task SignInAsync(string key, string view = "")
    {
        await Page.GotoAsync("/" + (view.Length > 0 ? "#/" + view : ""));
        await Page.GetByLabel("API key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(Page.Locator("#live")).ToHaveTextAsync("live");
    }

    /// <summary>Saves a full-page screenshot and returns its path; call after asserting the view shows its content.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(ScreenshotDir, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"screenshot {name} is suspiciously small");
        return path;
    }

    /// <summary>Marks the document; <see cref="AssertNotReloadedAsync"/> fails if the page was reloaded since.</summary>
    public Task MarkAsync() => Page.EvaluateAsync("() => { window.__seismoMark = 'still here'; }");

    public async Task AssertNotReloadedAsync() =>
        Assert.Equal("still here", await Page.EvaluateAsync<string?>("() => window.__seismoMark ?? null"));

    public void ClearErrors() { lock (_errors) _errors.Clear(); }

    public void AssertNoConsoleErrors() => Assert.True(Errors.Count == 0, "browser errors:\n" + string.Join("\n", Errors));

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
