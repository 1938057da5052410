using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Grains;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>Deleting a run takes it out of the account's overview and the project's trends at once, by hand-computed figures.</summary>
public sealed class RunDeletionAggregatesTests : IAsyncLifetime
{
    private readonly SeismoFactory _seismo = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _seismo.DisposeAsync();

    private static Dictionary<string, string> Ci(string runId) => new()
    {
        ["GITHUB_ACTIONS"] = "true", ["GITHUB_RUN_ID"] = runId, ["GITHUB_SHA"] = "sha" + runId, ["GITHUB_REF"] = "refs/heads/main",
    };

    private static async Task<string> PostAsync(HttpClient http, Guid project, string ciRun, SyntheticCase[] cases)
    {
        var response = await http.PostArchiveAsync(await SyntheticReports.ArchiveAsync(cases, env: Ci(ciRun)), project);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("observation_id").GetString()!;
        await http.WaitProcessedAsync(id);
        return id;
    }

    /// <summary>The overview hears of a project's change by a one-way call: read until it shows <paramref name="builds"/> builds.</summary>
    private static async Task<JsonElement> OverviewAsync(HttpClient http, int builds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var overview = await http.GetFromJsonAsync<JsonElement>("/api/overview");
            if (overview.GetProperty("summary").GetProperty("totalBuilds").GetInt32() == builds || DateTime.UtcNow > deadline) return overview;
            await Task.Delay(20);
        }
    }

    private static (long Builds, long Passed, long Failed, int Rate) Summary(JsonElement overview)
    {
        var s = overview.GetProperty("summary");
        return (s.GetProperty("totalBuilds").GetInt64(), s.GetProperty("totalPassed").GetInt64(), s.GetProperty("totalFailed").GetInt64(),
            s.GetProperty("overallPassRate").GetInt32());
    }

    private static (long Passed, long Failed, long Skipped, int Builds) Day(JsonElement overview)
    {
        var d = Assert.Single(overview.GetProperty("dailyTrends").EnumerateArray());
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), d.GetProperty("date").GetString());
        return (d.GetProperty("passed").GetInt64(), d.GetProperty("failed").GetInt64(), d.GetProperty("skipped").GetInt64(), d.GetProperty("buildCount").GetInt32());
    }

    private static async Task<(JsonElement Today, JsonElement[] TopFailing)> TrendsAsync(HttpClient http, Guid project)
    {
        var trends = await http.GetFromJsonAsync<JsonElement>($"/api/projects/{project}/trends?days=1");
        return (Assert.Single(trends.GetProperty("days").EnumerateArray()), [.. trends.GetProperty("topFailing").EnumerateArray()]);
    }

    private static (int Runs, int FailedRuns, long Passed, long Failed, long Skipped) Counts(JsonElement day) =>
        (day.GetProperty("runs").GetInt32(), day.GetProperty("failedRuns").GetInt32(), day.GetProperty("passed").GetInt64(),
            day.GetProperty("failed").GetInt64(), day.GetProperty("skipped").GetInt64());

    [Fact]
    public async Task Deleted_runs_leave_the_overview_and_the_trends_at_once()
    {
        var (project, key) = await _seismo.CreateProjectAsync("aggregates");
        var http = _seismo.ClientWithKey(key);
        var admin = _seismo.Admin();

        // A: 2 passed, coupon failed, 1 skipped. B: 3 passed. C: 1 passed, coupon failed, totals error.
        // By hand: 3 builds, 6 passed, 3 failed, 1 skipped, pass rate 600/9 → 66; failed runs A and C.
        var a = await PostAsync(http, project, "1", [new("Cart", "adds"), new("Cart", "coupon", "failed"), new("Cart", "totals"), new("Cart", "legacy", "skipped")]);
        var b = await PostAsync(http, project, "2", [new("Cart", "adds"), new("Cart", "coupon"), new("Cart", "totals")]);
        var c = await PostAsync(http, project, "3", [new("Cart", "adds"), new("Cart", "coupon", "failed"), new("Cart", "totals", "error")]);

        var before = await OverviewAsync(admin, 3);
        Assert.Equal((3L, 6L, 3L, 66), Summary(before));
        Assert.Equal((6L, 3L, 1L, 3), Day(before));
        var (today, top) = await TrendsAsync(admin, project);
        Assert.Equal((3, 2, 6L, 3L, 1L), Counts(today));
        Assert.Equal([("coupon", 2L, c), ("totals", 1L, c)], top.Select(t => (t.GetProperty("testTitle").GetString(), t.GetProperty("failures").GetInt64(),
            t.GetProperty("lastRunId").GetString())));

        // C goes: 2 builds, 5 passed, 1 failed, 1 skipped, pass rate 500/6 → 83; the trends say so when the DELETE returns.
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/runs/{c}")).StatusCode);
        (today, top) = await TrendsAsync(admin, project);
        Assert.Equal((2, 1, 5L, 1L, 1L), Counts(today));
        Assert.Equal(("coupon", 1L), (Assert.Single(top).GetProperty("testTitle").GetString(), top[0].GetProperty("failures").GetInt64()));
        var after = await OverviewAsync(admin, 2);
        Assert.Equal((2L, 5L, 1L, 83), Summary(after));
        Assert.Equal((5L, 1L, 1L, 2), Day(after));
        Assert.Equal([b, a], after.GetProperty("recentBuilds").EnumerateArray().Select(r => r.GetProperty("runId").GetString()));

        // Once coupon is replayed from its remaining runs, its last failure is A's again.
        var grains = _seismo.Services.GetRequiredService<IGrainFactory>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await grains.GetGrain<IProjectGrain>(project).CountStaleTestsAsync() > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        (_, top) = await TrendsAsync(admin, project);
        Assert.Equal(a, Assert.Single(top).GetProperty("lastRunId").GetString());

        // The rest goes: nothing left in either.
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/runs/{a}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/runs/{b}")).StatusCode);
        (today, top) = await TrendsAsync(admin, project);
        Assert.Equal((0, 0, 0L, 0L, 0L), Counts(today));
        Assert.Empty(top);
        var empty = await OverviewAsync(admin, 0);
        Assert.Equal((0L, 0L, 0L, 0), Summary(empty));
        Assert.Empty(empty.GetProperty("dailyTrends").EnumerateArray());
        Assert.Empty(empty.GetProperty("recentBuilds").EnumerateArray());
    }
}
