using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Seismo.Dashboard.Tests.Support;
using Seismo.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Seismo.Dashboard.Tests;

/// <summary>
/// The dashboard in real Chromium against a real Seismo on loopback: data goes in through the API (/collect) while
/// the page is open, and must show up without a reload. Every test also fails on any browser console error.
/// </summary>
public sealed class DashboardTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    static DashboardTests() => SetDefaultExpectTimeout(20_000);

    private SeismoFactory Seismo => fixture.Seismo;

    [Fact]
    public async Task Signs_in_with_a_key_keeps_it_for_the_tab_and_every_view_is_keyboard_reachable()
    {
        var (_, key) = await Seismo.CreateProjectAsync("Storefront");
        await using var tab = await fixture.OpenAsync();
        var page = tab.Page;

        await page.GotoAsync("/");
        await page.GetByLabel("API key").FillAsync("smo_not_a_real_key_at_all_0000000000");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "unknown, inactive or expired" })).ToBeVisibleAsync();
        await tab.ScreenshotAsync("sign-in");
        // Chromium logs the refused key's 401 itself; that one was asked for.
        tab.ClearErrors();

        await page.GetByLabel("API key").FillAsync(key);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        await Expect(page.Locator("#project option")).ToHaveTextAsync(["Storefront"]);
        Assert.Equal(key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('seismo.key')"));
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('seismo.key')"));

        // Reloading keeps the session; the key never sits in the page's URL.
        await page.ReloadAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        Assert.DoesNotContain(key, page.Url);

        // Tab to "Runs & trends" and open it with the keyboard.
        var reached = false;
        for (var i = 0; i < 20 && !reached; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached = await page.EvaluateAsync<string?>("() => document.activeElement?.textContent") == "Runs & trends";
        }
        Assert.True(reached, "the Runs & trends tab is not reachable with Tab");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs & trends" })).ToBeVisibleAsync();
        await Expect(page.GetByText("No runs yet")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Uploads" }).ClickAsync();
        await Expect(page.GetByText("No uploads yet")).ToBeVisibleAsync();
        await tab.ScreenshotAsync("uploads-empty");
        await page.GetByRole(AriaRole.Link, new() { Name = "Flaky tests" }).ClickAsync();
        await Expect(page.GetByText("No tests yet")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('seismo.key')"));
        tab.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_flaky_test_appears_on_the_board_live_and_quarantine_toggles_within_the_key_s_permissions()
    {
        var (projectId, key) = await Seismo.CreateProjectAsync("Checkout");
        // The person decides here, not the automatic rule.
        await Seismo.Admin().PatchAsJsonAsync($"/api/projects/{projectId}/settings", new { autoQuarantineEnabled = false });
        var agent = Seismo.ClientWithKey(key);
        await using var tab = await fixture.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync(key, "flaky");
        await Expect(page.GetByText("No tests yet")).ToBeVisibleAsync();
        await tab.MarkAsync();

        // The first run puts both tests on the board; the page is never reloaded.
        await Runs.WobblyAsync(agent, 0, fails: false);
        var row = page.Locator("table.flaky tbody tr", new() { HasText = "applies the discount" });
        await page.GetByLabel("Label").SelectOptionAsync("all");
        await Expect(row).ToBeVisibleAsync();
        await page.GetByLabel("Label").SelectOptionAsync("attention");

        // Runs that fail a third of the time turn it FLAKY, and the board says so as it happens.
        string? testId = null;
        for (var run = 1; run < 60 && testId is null; run++)
        {
            await Runs.WobblyAsync(agent, run, fails: run % 3 == 2);
            var list = await agent.GetJsonAsync($"/api/flakiness?projectId={projectId}");
            testId = list.GetProperty("data").EnumerateArray()
                .Where(t => t.GetProperty("label").GetString() == "FLAKY").Select(t => t.GetProperty("testId").GetString()).FirstOrDefault();
        }
        Assert.NotNull(testId);
        await Expect(row.Locator(".label")).ToHaveTextAsync("FLAKY");
        await Expect(page.Locator("table.flaky tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator(".stat", new() { HasText = "Flaky tests" }).Locator(".stat-value")).ToHaveTextAsync("1");
        await tab.AssertNotReloadedAsync();
        await tab.ScreenshotAsync("flaky-tests");

        // Quarantine it, as a person: the API records the key's decision; then release it.
        var toggle = row.GetByRole(AriaRole.Switch);
        await Expect(toggle).ToHaveAttributeAsync("aria-checked", "false");
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-checked", "true");
        var test = await agent.GetJsonAsync($"/api/tests/{testId}");
        Assert.True(test.GetProperty("isQuarantined").GetBoolean());
        Assert.StartsWith("key:", test.GetProperty("quarantine").GetProperty("decidedBy").GetString());
        await Expect(page.Locator(".stat", new() { HasText = "Quarantined" }).Locator(".stat-value")).ToHaveTextAsync("1");
        await page.GetByLabel("Quarantined only").CheckAsync();
        await Expect(page.Locator("table.flaky tbody tr")).ToHaveCountAsync(1);
        await page.GetByLabel("Quarantined only").UncheckAsync();
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-checked", "false");
        Assert.False((await agent.GetJsonAsync($"/api/tests/{testId}")).GetProperty("isQuarantined").GetBoolean());

        // Filter and sort on the page.
        await page.GetByLabel("Filter by title or file").FillAsync("no such test");
        await Expect(page.GetByText("Nothing matches")).ToBeVisibleAsync();
        await page.GetByLabel("Filter by title or file").FillAsync("discount");
        await page.GetByLabel("Label").SelectOptionAsync("all");
        await Expect(page.Locator("table.flaky tbody tr")).ToHaveCountAsync(1);
        await page.GetByLabel("Filter by title or file").FillAsync("");
        await page.GetByLabel("Sort by").SelectOptionAsync("title");
        await Expect(page.Locator("table.flaky tbody tr th a")).ToHaveTextAsync(["adds an item", "applies the discount"]);

        // On a phone the board fits the screen (wide tables scroll inside their box).
        await page.SetViewportSizeAsync(390, 844);
        await Expect(row).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
        await tab.ScreenshotAsync("flaky-tests-phone");
        tab.AssertNoConsoleErrors();

        // A viewer key sees the board but cannot change quarantine.
        var viewerKey = await ViewerKeyAsync(projectId);
        await using var viewer = await fixture.OpenAsync();
        await viewer.SignInAsync(viewerKey, "flaky");
        await Expect(viewer.Page.Locator("table.flaky tbody tr", new() { HasText = "applies the discount" }).GetByRole(AriaRole.Switch)).ToBeDisabledAsync();
        viewer.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Runs_view_shows_posted_runs_the_daily_trend_and_the_most_failing_test_and_leads_to_the_test_detail()
    {
        var (_, key) = await Seismo.CreateProjectAsync("Payments");
        var agent = Seismo.ClientWithKey(key);
        for (var run = 0; run < 3; run++) await Runs.WobblyAsync(agent, run, fails: run == 1);
        await using var tab = await fixture.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync(key, "runs");
        var rows = page.Locator("table.runs tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(1)).ToContainTextAsync("failed");
        await Expect(rows.Nth(1)).ToContainTextAsync("50.0%");
        await Expect(rows.Nth(0)).ToContainTextAsync("100.0%");
        await Expect(rows.Nth(0)).ToContainTextAsync("main");
        await Expect(page.Locator("figure.chart .legend")).ToContainTextAsync("Failed 1");
        await Expect(page.Locator("figure.chart rect.bar-failed")).ToHaveCountAsync(1);
        await Expect(page.Locator(".top-failing li")).ToContainTextAsync(["applies the discount"]);
        await tab.MarkAsync();

        // A run posted while the page is open appears at the top.
        await Runs.WobblyAsync(agent, 3, fails: true);
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(rows.Nth(0)).ToContainTextAsync("failed");
        await Expect(page.Locator("figure.chart .legend")).ToContainTextAsync("Failed 2");
        await Expect(page.Locator(".top-failing li")).ToContainTextAsync(["2 of 4 runs"]);
        await tab.AssertNotReloadedAsync();
        await tab.ScreenshotAsync("runs-and-trends");

        // The test: history strip with branch and commit, the failure messages and the score after each run.
        await page.Locator(".top-failing a", new() { HasText = "applies the discount" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "applies the discount" })).ToBeVisibleAsync();
        await Expect(page.Locator(".strip .cell")).ToHaveCountAsync(4);
        await Expect(page.Locator(".strip .cell.status-failed")).ToHaveCountAsync(2);
        await Expect(page.Locator(".strip .cell").First).ToHaveAttributeAsync("aria-label", "passed on main at 0000c0f");
        await Expect(page.Locator(".failures pre")).ToHaveTextAsync(["expected 90 but was 100", "expected 90 but was 100"]);
        await Expect(page.Locator("svg.score-chart circle")).ToHaveCountAsync(4);
        await tab.ScreenshotAsync("test-detail");

        // Live there too: another run extends the strip.
        await Runs.WobblyAsync(agent, 4, fails: false);
        await Expect(page.Locator(".strip .cell")).ToHaveCountAsync(5);
        await tab.AssertNotReloadedAsync();
        tab.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task The_bell_counts_unread_notifications_new_ones_arrive_live_and_they_are_marked_read()
    {
        var (_, key) = await Seismo.CreateProjectAsync("Notifier");
        var agent = Seismo.ClientWithKey(key);
        await Runs.WobblyAsync(agent, 0, fails: true);
        await WaitUnreadAsync(agent, 1);

        await using var tab = await fixture.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync(key, "flaky");
        await Expect(page.Locator("#unread")).ToHaveTextAsync("1");
        await page.Locator("#bell").ClickAsync();
        var notes = page.Locator(".inbox .note");
        await Expect(notes).ToHaveCountAsync(1);
        await Expect(notes.First).ToContainTextAsync("failed");
        await tab.MarkAsync();

        // A second failing run: its notifications (the run, and the test's second hard failure) reach the open inbox and the bell.
        await Runs.WobblyAsync(agent, 1, fails: true);
        await WaitUnreadAsync(agent, 2);
        var unread = (await agent.GetJsonAsync("/api/notifications/unread")).GetProperty("count").GetInt32();
        await Expect(notes).ToHaveCountAsync(unread);
        await Expect(page.Locator("#unread")).ToHaveTextAsync(unread.ToString());
        await tab.ScreenshotAsync("notifications");

        await notes.First.GetByRole(AriaRole.Button, new() { Name = "Mark" }).ClickAsync();
        await Expect(page.Locator("#unread")).ToHaveTextAsync((unread - 1).ToString());
        await Expect(page.Locator(".inbox .note.unread")).ToHaveCountAsync(unread - 1);
        Assert.Equal(unread - 1, (await agent.GetJsonAsync("/api/notifications/unread")).GetProperty("count").GetInt32());

        await page.GetByRole(AriaRole.Button, new() { Name = "Mark all read" }).ClickAsync();
        await Expect(page.Locator("#unread")).ToBeHiddenAsync();
        await Expect(page.Locator(".inbox .note.unread")).ToHaveCountAsync(0);
        Assert.Equal(0, (await agent.GetJsonAsync("/api/notifications/unread")).GetProperty("count").GetInt32());
        await tab.AssertNotReloadedAsync();
        tab.AssertNoConsoleErrors();
    }

    private async Task<string> ViewerKeyAsync(Guid projectId)
    {
        var response = await Seismo.Admin().PostAsJsonAsync("/api/api-keys", new { projectId, name = "viewer", role = "viewer" });
        return (await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    // Notifications are raised a moment after the run (changes are grouped per run).
    private static async Task WaitUnreadAsync(HttpClient agent, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await agent.GetJsonAsync("/api/notifications/unread")).GetProperty("count").GetInt32() < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} unread notifications after 20 s");
            await Task.Delay(50);
        }
    }
}
