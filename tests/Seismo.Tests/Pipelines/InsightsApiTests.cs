using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Pipelines;

/// <summary>
/// Insights over a small history whose figures are worked out by hand. On main: a failure of 100 s, a success of
/// 200 s an hour later (recovery 3,700 s: from the end of the failure to the end of the success), a success of 300 s,
/// a run still going; on dev a success of 50 s; on main ten days ago a success of 1,000 s (the previous 7-day window).
/// Each run has a job "build" taking half the run.
/// </summary>
public sealed class InsightsApiTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private async Task<(HttpClient Client, DateTimeOffset Now)> HistoryAsync(string repository)
    {
        var (_, key) = await _seismo.CreateProjectAsync("insights-" + repository.Replace('/', '-'));
        var client = _seismo.CreateClient().WithApiKey(key);
        var now = DateTimeOffset.UtcNow;
        async Task Post(long id, string status, DateTimeOffset at, double? d, string branch = "main") =>
            await client.PostRunAsync(RunWatchClient.Report(repository, id, status, at, d, branch: branch,
                jobs: [new JobSpec("build", status == "running" ? "running" : "success", d / 2, at)]));
        await Post(6, "success", now.AddDays(-10), 1000);
        await Post(1, "failure", now.AddHours(-5), 100);
        await Post(2, "success", now.AddHours(-4), 200);
        await Post(3, "success", now.AddHours(-3), 300);
        await Post(4, "running", now.AddHours(-2), null);
        await Post(5, "success", now.AddHours(-1), 50, branch: "dev");
        return (client, now);
    }

    [Fact]
    public async Task Workflow_summary_figures_and_trends_match_the_hand_computed_history_and_follow_an_update()
    {
        var (client, now) = await HistoryAsync("acme/insights");
        var summary = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/insights/workflows/CI/summary?reporting-window=last-7-days");
        var m = summary.GetProperty("metrics");
        Assert.Equal(4, m.GetProperty("total_runs").GetInt64());
        Assert.Equal(2, m.GetProperty("successful_runs").GetInt64());
        Assert.Equal(1, m.GetProperty("failed_runs").GetInt64());
        Assert.Equal(3, m.GetProperty("completed_runs").GetInt64());
        Assert.Equal(2.0 / 3, m.GetProperty("success_rate").GetDouble(), 4);
        Assert.Equal(4 / 7.0, m.GetProperty("throughput").GetDouble(), 4);
        Assert.Equal(3700, m.GetProperty("mttr").GetInt64());
        Assert.Equal(0, m.GetProperty("total_credits_used").GetInt64());
        var d = m.GetProperty("duration_metrics");
        Assert.Equal((100L, 300L, 200L), (d.GetProperty("min").GetInt64(), d.GetProperty("max").GetInt64(), d.GetProperty("mean").GetInt64()));
        Assert.InRange(d.GetProperty("median").GetInt64(), 198, 202);
        Assert.InRange(d.GetProperty("p95").GetInt64(), 297, 303);
        Assert.Equal(81.65, d.GetProperty("standard_deviation").GetDouble(), 2);
        var t = summary.GetProperty("trends");
        Assert.Equal(3.0, t.GetProperty("total_runs").GetDouble()); // 4 against 1 in the previous 7 days
        Assert.Equal(-1 / 3.0, t.GetProperty("success_rate").GetDouble(), 3);
        foreach (var f in new[] { "failed_runs", "p95_duration_secs", "median_duration_secs", "total_credits_used", "mttr", "throughput" })
            Assert.True(t.TryGetProperty(f, out _), f);
        Assert.Equal(["CI"], summary.GetProperty("workflow_names").EnumerateArray().Select(x => x.GetString()));

        var all = (await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/insights/workflows/CI/summary?all-branches=true&reporting-window=last-90-days")).GetProperty("metrics");
        Assert.Equal((6L, 4L), (all.GetProperty("total_runs").GetInt64(), all.GetProperty("successful_runs").GetInt64()));
        Assert.Equal(6 / 90.0, all.GetProperty("throughput").GetDouble(), 4);
        var dev = (await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/insights/workflows/CI/summary?branch=dev")).GetProperty("metrics");
        Assert.Equal((1L, 50L), (dev.GetProperty("total_runs").GetInt64(), dev.GetProperty("duration_metrics").GetProperty("max").GetInt64()));

        // The run still going finishes: it is the same run, updated, not a new one.
        await client.PostRunAsync(RunWatchClient.Report("acme/insights", 4, "success", now.AddHours(-2), 400,
            jobs: [new JobSpec("build", "success", 200, now.AddHours(-2))]));
        var after = (await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/insights/workflows/CI/summary?reporting-window=last-7-days")).GetProperty("metrics");
        Assert.Equal((4L, 3L, 4L), (after.GetProperty("total_runs").GetInt64(), after.GetProperty("successful_runs").GetInt64(), after.GetProperty("completed_runs").GetInt64()));
        Assert.Equal((400L, 250L), (after.GetProperty("duration_metrics").GetProperty("max").GetInt64(), after.GetProperty("duration_metrics").GetProperty("mean").GetInt64()));
        Assert.InRange(after.GetProperty("duration_metrics").GetProperty("p95").GetInt64(), 396, 404);
    }

    [Fact]
    public async Task Workflows_jobs_recent_runs_branches_and_time_series_come_from_the_same_history()
    {
        var (client, now) = await HistoryAsync("acme/insights-lists");
        var workflows = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/insights-lists/workflows?reporting-window=last-7-days");
        var item = Assert.Single(workflows.GetProperty("items").EnumerateArray());
        foreach (var f in new[] { "name", "metrics", "window_start", "window_end", "project_id" }) Assert.True(item.TryGetProperty(f, out _), f);
        var wm = item.GetProperty("metrics");
        foreach (var f in new[] { "total_runs", "successful_runs", "mttr", "total_credits_used", "failed_runs", "success_rate", "duration_metrics", "total_recoveries", "throughput" })
            Assert.True(wm.TryGetProperty(f, out _), f);
        Assert.Equal((4L, 1L), (wm.GetProperty("total_runs").GetInt64(), wm.GetProperty("total_recoveries").GetInt64()));
        Assert.True(workflows.TryGetProperty("next_page_token", out var none) && none.ValueKind == JsonValueKind.Null);

        var jobs = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/insights-lists/workflows/CI/jobs?reporting-window=last-7-days");
        var build = Assert.Single(jobs.GetProperty("items").EnumerateArray());
        Assert.Equal("build", build.GetProperty("name").GetString());
        var bm = build.GetProperty("metrics");
        Assert.Equal((4L, 3L), (bm.GetProperty("total_runs").GetInt64(), bm.GetProperty("successful_runs").GetInt64()));
        Assert.Equal((50L, 150L, 100L), (bm.GetProperty("duration_metrics").GetProperty("min").GetInt64(), bm.GetProperty("duration_metrics").GetProperty("max").GetInt64(),
            bm.GetProperty("duration_metrics").GetProperty("mean").GetInt64()));

        var recent = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/insights-lists/workflows/CI");
        var runs = recent.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, runs.Count); // main, within 90 days, newest first
        Assert.Equal(new string?[] { null, "success", "success", "failed", "success" }, runs.Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(300, runs[1].GetProperty("duration").GetInt64());
        foreach (var f in new[] { "id", "branch", "duration", "created_at", "stopped_at", "credits_used", "status", "is_approval" }) Assert.True(runs[1].TryGetProperty(f, out _), f);
        var start = Uri.EscapeDataString(now.AddHours(-4.5).ToString("O"));
        var since = await client.GetFromJsonAsync<JsonElement>($"/api/v2/insights/gh/acme/insights-lists/workflows/CI?start-date={start}");
        Assert.Equal(3, since.GetProperty("items").GetArrayLength());
        var allBranches = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/insights-lists/workflows/CI?all-branches=true");
        Assert.Equal("dev", allBranches.GetProperty("items")[0].GetProperty("branch").GetString());

        var branches = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/insights-lists/branches");
        Assert.Equal(["main", "dev"], branches.GetProperty("branches").EnumerateArray().Select(b => b.GetString()));
        Assert.True(branches.TryGetProperty("org_id", out _) && branches.TryGetProperty("project_id", out _));

        var daily = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/time-series/gh/acme/insights-lists/workflows/CI/jobs?granularity=daily");
        var points = daily.GetProperty("items").EnumerateArray().ToList();
        Assert.All(points, p => Assert.Equal("build", p.GetProperty("name").GetString()));
        Assert.Equal(5, points.Sum(p => p.GetProperty("metrics").GetProperty("total_runs").GetInt64()));
        Assert.Equal(1000 / 2 + 50 + 100 + 150, points.Sum(p => p.GetProperty("metrics").GetProperty("duration_metrics").GetProperty("total").GetInt64()));
        var hourly = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/time-series/gh/acme/insights-lists/workflows/CI/jobs?granularity=hourly");
        Assert.Equal(4, hourly.GetProperty("items").EnumerateArray().Sum(p => p.GetProperty("metrics").GetProperty("total_runs").GetInt64()));
        foreach (var f in new[] { "name", "min_started_at", "max_ended_at", "timestamp", "metrics" }) Assert.True(points[0].TryGetProperty(f, out _), f);

        foreach (var (path, status) in new[]
        {
            ("/api/v2/insights/gh/acme/insights-lists/workflows?reporting-window=last-year", HttpStatusCode.BadRequest),
            ("/api/v2/insights/gh/acme/insights-lists/workflows/CI/summary?branch=main&all-branches=true", HttpStatusCode.BadRequest),
            ("/api/v2/insights/gh/acme/insights-lists/workflows/CI?end-date=2026-01-01", HttpStatusCode.BadRequest),
            ("/api/v2/insights/time-series/gh/acme/insights-lists/workflows/CI/jobs?granularity=weekly", HttpStatusCode.BadRequest),
            ("/api/v2/insights/gh/acme/insights-lists/workflows/Nope/summary", HttpStatusCode.NotFound),
        })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == status, $"{path}: {response.StatusCode}");
            Assert.Equal(JsonValueKind.String, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").ValueKind);
        }
    }
}
