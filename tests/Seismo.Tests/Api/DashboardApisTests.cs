using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Grains;
using Seismo.Grains.Projects;
using Seismo.Tests.Support;

namespace Seismo.Tests.Api;

/// <summary>
/// What the dashboard reads beyond the contracts: a project's daily trend and most failing tests, the failure message
/// and score after each run in a test's history, the label's reason in the flakiness list, the calling key, and the
/// page itself (served by Seismo, nothing from another origin).
/// </summary>
public sealed class DashboardApisTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private static async Task PostAsync(HttpClient agent, int run, bool fails, string branch = "main")
    {
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = $"sha{run:D4}abcdef", ["GITHUB_REF"] = $"refs/heads/{branch}" };
        SyntheticCase[] cases =
        [
            new("com.acme.Trend", "steady"),
            new("com.acme.Trend", "breaks", fails ? "failed" : "passed", Message: $"boom {run}"),
            new("com.acme.Trend", "always broken", "error", Message: "no database"),
            new("com.acme.Trend", "ignored", "skipped"),
        ];
        var response = await agent.PostArchiveAsync(await SyntheticReports.ArchiveAsync(cases, env: env));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await agent.WaitProcessedAsync((await response.JsonAsync()).GetProperty("observation_id").GetString()!);
    }

    [Fact]
    public async Task Trends_count_today_s_runs_and_results_and_rank_the_most_failing_tests()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("trends");
        var agent = _seismo.ClientWithKey(key);
        for (var run = 0; run < 4; run++) await PostAsync(agent, run, fails: run % 2 == 1);

        var trends = await agent.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/trends?days=7&top=5");
        var days = trends.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(7, days.Count);
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd"), days[^1].GetProperty("date").GetString());
        Assert.All(days[..^1], d => Assert.Equal(0, d.GetProperty("runs").GetInt32()));
        var today = days[^1];
        Assert.Equal(4, today.GetProperty("runs").GetInt32());
        Assert.Equal(4, today.GetProperty("failedRuns").GetInt32());
        Assert.Equal(4 + 2, today.GetProperty("passed").GetInt64());
        Assert.Equal(4 + 2, today.GetProperty("failed").GetInt64());
        Assert.Equal(4, today.GetProperty("skipped").GetInt64());

        var top = trends.GetProperty("topFailing").EnumerateArray().ToList();
        Assert.Equal(["always broken", "breaks"], top.Select(t => t.GetProperty("testTitle").GetString()));
        Assert.Equal(4, top[0].GetProperty("failures").GetInt64());
        Assert.Equal(1.0, top[0].GetProperty("failureRate").GetDouble());
        Assert.Equal("no database", top[0].GetProperty("lastMessage").GetString());
        Assert.Equal(2, top[1].GetProperty("failures").GetInt64());
        Assert.Equal(0.5, top[1].GetProperty("failureRate").GetDouble());
        Assert.Equal("boom 3", top[1].GetProperty("lastMessage").GetString());
        Assert.StartsWith("t_", top[1].GetProperty("testId").GetString());

        var one = await agent.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/trends?top=1");
        Assert.Equal(30, one.GetProperty("days").GetArrayLength());
        Assert.Single(one.GetProperty("topFailing").EnumerateArray());
    }

    [Theory]
    [InlineData("days=0", "days")]
    [InlineData("days=91", "days")]
    [InlineData("days=x", "days")]
    [InlineData("top=-1", "top")]
    [InlineData("top=51", "top")]
    public async Task Trends_refuse_out_of_range_parameters_naming_the_field(string query, string field)
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("trends-bad-" + field);
        var response = await _seismo.ClientWithKey(key).GetAsync($"/api/projects/{projectId}/trends?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("VALIDATION_ERROR", body.ErrorCode());
        Assert.Equal(field, body.ErrorField());
    }

    [Fact]
    public async Task Trends_of_another_tenant_s_project_are_not_found()
    {
        var (mine, _) = await _seismo.CreateProjectAsync("trends-mine");
        var (_, otherKey) = await _seismo.CreateProjectAsync("trends-other");
        Assert.Equal(HttpStatusCode.NotFound, (await _seismo.ClientWithKey(otherKey).GetAsync($"/api/projects/{mine}/trends")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _seismo.Admin().GetAsync("/api/projects/not-a-guid/trends")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _seismo.CreateClient().GetAsync($"/api/projects/{mine}/trends")).StatusCode);
    }

    [Fact]
    public async Task History_has_branch_commit_the_failure_message_and_the_score_after_each_run()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("history-extras");
        var agent = _seismo.ClientWithKey(key);
        for (var run = 0; run < 3; run++) await PostAsync(agent, run, fails: run == 1, branch: run == 2 ? "feature/x" : "main");
        var catalogue = await agent.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={projectId}&search=breaks");
        var testId = catalogue.GetProperty("data")[0].GetProperty("testId").GetString();

        var history = (await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}/history")).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(3, history.Count);
        Assert.Equal(["passed", "failed", "passed"], history.Select(e => e.GetProperty("status").GetString()));
        Assert.Equal(["feature/x", "main", "main"], history.Select(e => e.GetProperty("branch").GetString()));
        Assert.Equal("sha0001abcdef", history[1].GetProperty("commitSha").GetString());
        Assert.Equal("boom 1", history[1].GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("message").ValueKind);
        var scores = history.Select(e => e.GetProperty("flakinessScore").GetDouble()).ToList();
        Assert.All(scores, v => Assert.InRange(v, 0, 1));
        // The failure moved the score (at once, or when the pass after it showed it was not a streak).
        Assert.True(scores.Distinct().Count() > 1, $"scores newest first: {string.Join(", ", scores)}");
        var detail = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}");
        Assert.Equal(detail.GetProperty("flakinessScore").GetDouble(), scores[0]);
    }

    [Fact]
    public async Task The_flakiness_list_carries_each_label_s_reason()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("reasons");
        var agent = _seismo.ClientWithKey(key);
        await PostAsync(agent, 0, fails: false);
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = "retry1", ["GITHUB_REF"] = "refs/heads/main" };
        var response = await agent.PostArchiveAsync(await SyntheticReports.ArchiveAsync([new("com.acme.Trend", "steady", Reruns: 1)], env: env));
        await agent.WaitProcessedAsync((await response.JsonAsync()).GetProperty("observation_id").GetString()!);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement row;
        while (true)
        {
            var list = await agent.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={projectId}");
            row = list.GetProperty("data").EnumerateArray().Single(r => r.GetProperty("testTitle").GetString() == "steady");
            if (row.GetProperty("label").GetString() == "SUSPECTED" || DateTime.UtcNow > deadline) break;
            await Task.Delay(50);
        }
        Assert.Equal("SUSPECTED", row.GetProperty("label").GetString());
        Assert.Equal("PassedOnRetry", row.GetProperty("labelReason").GetString());
    }

    [Fact]
    public async Task Me_names_the_key_its_scope_and_what_it_may_do()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("me");
        var developer = await _seismo.ClientWithKey(key).GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(projectId, developer.GetProperty("projectId").GetGuid());
        Assert.Equal("developer", developer.GetProperty("role").GetString());
        Assert.True(developer.GetProperty("canUpload").GetBoolean());
        Assert.False(developer.GetProperty("canManage").GetBoolean());

        var admin = await _seismo.Admin().GetFromJsonAsync<JsonElement>("/api/me");
        Assert.Equal(JsonValueKind.Null, admin.GetProperty("projectId").ValueKind);
        Assert.Equal("admin", admin.GetProperty("role").GetString());
        Assert.True(admin.GetProperty("canManage").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _seismo.CreateClient().GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_is_served_at_the_root_with_every_asset_from_seismo_itself()
    {
        var http = _seismo.CreateClient();
        var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        var html = await page.Content.ReadAsStringAsync();

        var assets = System.Text.RegularExpressions.Regex.Matches(html, "(?:src|href)=\"([^\"#]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("/ui/app.js", assets);
        foreach (var asset in assets)
        {
            Assert.StartsWith("/ui/", asset);
            var response = await http.GetAsync(asset);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var script = await http.GetAsync("/ui/views/flaky.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/nothing.js")).StatusCode);
    }

    [Fact]
    public void Trends_keep_ninety_days_and_rank_failures_by_count()
    {
        var trends = new ProjectTrends();
        var start = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        for (var day = 0; day < 100; day++)
        {
            var results = new[] { Result("a", day % 2 == 0 ? TestStatus.Failed : TestStatus.Passed), Result("b", TestStatus.Error), Result("c", TestStatus.Flaky) };
            trends.Fold(Run(start.AddDays(day), results), results);
        }
        Assert.Equal(ProjectTrends.DaysKept, trends.Days.Count);
        Assert.Equal(DateOnly.FromDateTime(start.AddDays(99).UtcDateTime).DayNumber, trends.Days.Keys.Last());
        Assert.Equal([("b", 100L), ("a", 50L)], trends.Top(5).Select(t => (t.Hash, t.Tally.Count)));
        Assert.Equal(3, trends.Window(trends.Days.Keys.Last(), 3).Count());
    }

    private static TestResult Result(string hash, TestStatus status) =>
        new(hash, hash, null, null, null, null, status, 1, 5, status == TestStatus.Passed ? null : "m", null, null, hash);

    private static RunSummary Run(DateTimeOffset at, TestResult[] results)
    {
        var meta = new RunMetadata(Guid.NewGuid(), "run", Guid.Empty, Guid.Empty, null, "collect", at, null, [], null, 0, 100, [], [],
            CiContext.None, null, null);
        return new RunSummary(meta, 1, "failed", RunCounts.Of(results));
    }
}
