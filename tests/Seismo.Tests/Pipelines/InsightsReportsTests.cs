using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Pipelines;

/// <summary>Flaky tests and test metrics over pipelines whose jobs /collect runs joined; project and org summaries.</summary>
public sealed class InsightsReportsTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;


    [Fact]
    public async Task Flaky_tests_come_from_the_scorer_with_the_jobs_of_their_flaky_runs_and_test_metrics_from_the_last_ten_runs()
    {
        var (_, key) = await _seismo.CreateProjectAsync("reports-flaky");
        var client = _seismo.CreateClient().WithApiKey(key);
        var agent = _seismo.ClientWithKey(key);
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        for (var i = 0; i < 30; i++)
        {
            var at = start.AddMinutes(i);
            await client.PostRunAsync(RunWatchClient.Report("acme/flaky", 500 + i, "success", at, 60, jobs: [new JobSpec("tests", "success", 50, at)]));
            var env = new Dictionary<string, string>
            {
                ["GITHUB_ACTIONS"] = "true", ["GITHUB_RUN_ID"] = (500 + i).ToString(), ["GITHUB_JOB"] = "tests", ["GITHUB_SHA"] = $"sha{i}",
                ["GITHUB_REF"] = "refs/heads/main",
            };
            SyntheticCase[] cases = [new("com.acme.Api", "steady"), new("com.acme.Api", "wobbly", i % 3 == 2 ? "failed" : "passed", Seconds: 2), new("com.acme.Api", "slow", Seconds: 9)];
            var response = await agent.PostArchiveAsync(await SyntheticReports.ArchiveAsync(cases, env: env));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await agent.WaitProcessedAsync((await response.JsonAsync()).GetProperty("observation_id").GetString()!);
        }

        // Runs 2, 5, …, 29 failed, all in joined runs: 10 failures of 2 s each, the last in pipeline 30, job 30.
        var flaky = await Eventually.ReadAsync(() => client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/flaky/flaky-tests"),
            f => f.GetProperty("flaky-tests").GetArrayLength() == 1 && f.GetProperty("flaky-tests")[0].GetProperty("time-wasted").GetInt64() == 20);
        Assert.Equal(1, flaky.GetProperty("total-flaky-tests").GetDouble());
        var item = flaky.GetProperty("flaky-tests")[0];
        foreach (var f in new[] { "workflow-created-at", "classname", "job-number", "times-flaked", "source", "pipeline-number", "file", "workflow-name", "job-name", "workflow-id", "test-name", "time-wasted" })
            Assert.True(item.TryGetProperty(f, out _), f);
        Assert.Equal(("wobbly", "com.acme.Api", "tests", "CI"), (item.GetProperty("test-name").GetString(), item.GetProperty("classname").GetString(),
            item.GetProperty("job-name").GetString(), item.GetProperty("workflow-name").GetString()));
        Assert.Equal((30L, 30L, 20L), (item.GetProperty("job-number").GetInt64(), item.GetProperty("pipeline-number").GetInt64(), item.GetProperty("time-wasted").GetInt64()));
        Assert.Equal(10, item.GetProperty("times-flaked").GetInt64()); // the scorer counted no pass-on-retry: the failures in joined runs

        // The 10 most recent runs are 20..29: failures in 20, 23, 26, 29.
        var metrics = await Eventually.ReadAsync(() => client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/flaky/workflows/CI/test-metrics"),
            m => m.GetProperty("total_test_runs").GetInt64() == 30);
        Assert.Equal(10, metrics.GetProperty("test_runs").GetArrayLength());
        Assert.Equal((30L, 3L), (metrics.GetProperty("total_test_runs").GetInt64(), metrics.GetProperty("average_test_count").GetInt64()));
        var failing = Assert.Single(metrics.GetProperty("most_failed_tests").EnumerateArray());
        Assert.Equal(("wobbly", 4L, 10L, true, "tests"), (failing.GetProperty("test_name").GetString(), failing.GetProperty("failed_runs").GetInt64(),
            failing.GetProperty("total_runs").GetInt64(), failing.GetProperty("flaky").GetBoolean(), failing.GetProperty("job_name").GetString()));
        Assert.Equal("slow", metrics.GetProperty("slowest_tests")[0].GetProperty("test_name").GetString());
        Assert.Equal(9, metrics.GetProperty("slowest_tests")[0].GetProperty("p95_duration").GetDouble());
        var newest = metrics.GetProperty("test_runs")[0];
        Assert.Equal(30, newest.GetProperty("pipeline_number").GetInt64());
        Assert.Equal((1L, 2L, 3L), (newest.GetProperty("test_counts").GetProperty("failure").GetInt64(), newest.GetProperty("test_counts").GetProperty("success").GetInt64(),
            newest.GetProperty("test_counts").GetProperty("total").GetInt64()));
        Assert.Equal(2 / 3.0, newest.GetProperty("success_rate").GetDouble(), 4);
    }

    [Fact]
    public async Task Flake_figures_cover_every_joined_run_of_a_long_history_and_test_metrics_the_last_ten()
    {
        var (_, key) = await _seismo.CreateProjectAsync("reports-long");
        var client = _seismo.CreateClient().WithApiKey(key);
        var agent = _seismo.ClientWithKey(key);
        var start = DateTimeOffset.UtcNow.AddHours(-4);
        async Task CollectAsync(SyntheticCase[] cases, Dictionary<string, string> env)
        {
            var response = await agent.PostArchiveAsync(await SyntheticReports.ArchiveAsync(cases, env: env));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await agent.WaitProcessedAsync((await response.JsonAsync()).GetProperty("observation_id").GetString()!);
        }

        // 45 pipelines, one job each; "wobbly" fails (2 s) when i % 5 == 1 and passes on retry (3 s) when i % 5 == 3, else passes in 1 s.
        // After i = 12, 22 and 32 a run that names no CI run (so joins no job) fails it too: the scorer sees it, the flake figures do not.
        for (var i = 0; i < 45; i++)
        {
            var at = start.AddMinutes(i);
            await client.PostRunAsync(RunWatchClient.Report("acme/long", 700 + i, "success", at, 60, jobs: [new JobSpec("unit", "success", 50, at)]));
            var env = new Dictionary<string, string>
            {
                ["GITHUB_ACTIONS"] = "true", ["GITHUB_RUN_ID"] = (700 + i).ToString(), ["GITHUB_JOB"] = "unit", ["GITHUB_SHA"] = $"long{i}",
                ["GITHUB_REF"] = "refs/heads/main",
            };
            var wobbly = (i % 5) switch
            {
                1 => new SyntheticCase("com.acme.Cart", "wobbly", "failed", Seconds: 2),
                3 => new SyntheticCase("com.acme.Cart", "wobbly", Seconds: 3, Reruns: 1),
                _ => new SyntheticCase("com.acme.Cart", "wobbly", Seconds: 1),
            };
            await CollectAsync([new("com.acme.Cart", "steady", Seconds: 0.5), wobbly, new("com.acme.Cart", "slow", Seconds: 7)], env);
            if (i is 12 or 22 or 32)
            {
                await CollectAsync([new("com.acme.Cart", "steady", Seconds: 0.5), new("com.acme.Cart", "wobbly", "failed", Seconds: 5)],
                    new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = $"local{i}", ["GITHUB_REF"] = "refs/heads/main" });
            }
        }

        // By hand: 9 failures and 9 passes on retry in joined runs → 18 flakes, 9 × 2 + 9 × 3 = 45 s wasted; the latest is i = 43:
        // pipeline 44, job 44. The scorer's own count (the 9 passes on retry) is lower, and the unjoined failures are not in either.
        var flaky = await Eventually.ReadAsync(() => client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/long/flaky-tests"),
            f => f.GetProperty("flaky-tests").GetArrayLength() == 1 && f.GetProperty("flaky-tests")[0].GetProperty("times-flaked").GetInt64() == 18);
        var item = Assert.Single(flaky.GetProperty("flaky-tests").EnumerateArray());
        Assert.Equal(("wobbly", "com.acme.Cart", "unit", "CI"), (item.GetProperty("test-name").GetString(), item.GetProperty("classname").GetString(),
            item.GetProperty("job-name").GetString(), item.GetProperty("workflow-name").GetString()));
        Assert.Equal((18L, 45L, 44L, 44L), (item.GetProperty("times-flaked").GetInt64(), item.GetProperty("time-wasted").GetInt64(),
            item.GetProperty("job-number").GetInt64(), item.GetProperty("pipeline-number").GetInt64()));
        var pipeline44 = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/long/pipeline/44");
        var workflow44 = Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/v2/pipeline/{pipeline44.GetProperty("id").GetString()}/workflow"))
            .GetProperty("items").EnumerateArray());
        Assert.Equal(workflow44.GetProperty("id").GetString(), item.GetProperty("workflow-id").GetString());

        // The last ten pipelines are i = 35..44: wobbly failed in 36 and 41 (passes on retry are not failures); its durations
        // 1, 2, 1, 3, 1, 1, 2, 1, 3, 1 s give a nearest-rank p95 of 3 s. Each run has 3 tests.
        var metrics = await Eventually.ReadAsync(() => client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/long/workflows/CI/test-metrics"),
            m => m.GetProperty("total_test_runs").GetInt64() == 30);
        Assert.Equal(Enumerable.Range(36, 10).Reverse().Select(n => (long)n), metrics.GetProperty("test_runs").EnumerateArray().Select(r => r.GetProperty("pipeline_number").GetInt64()));
        Assert.Equal(3, metrics.GetProperty("average_test_count").GetInt64());
        var failing = Assert.Single(metrics.GetProperty("most_failed_tests").EnumerateArray());
        Assert.Equal(("wobbly", 2L, 10L, 3.0, true), (failing.GetProperty("test_name").GetString(), failing.GetProperty("failed_runs").GetInt64(),
            failing.GetProperty("total_runs").GetInt64(), failing.GetProperty("p95_duration").GetDouble(), failing.GetProperty("flaky").GetBoolean()));
        Assert.Equal(["slow", "wobbly", "steady"], metrics.GetProperty("slowest_tests").EnumerateArray().Select(t => t.GetProperty("test_name").GetString()));
        var run41 = metrics.GetProperty("test_runs").EnumerateArray().Single(r => r.GetProperty("pipeline_number").GetInt64() == 42);
        Assert.Equal((1L, 2L, 3L), (run41.GetProperty("test_counts").GetProperty("failure").GetInt64(), run41.GetProperty("test_counts").GetProperty("success").GetInt64(),
            run41.GetProperty("test_counts").GetProperty("total").GetInt64()));
        var run43 = metrics.GetProperty("test_runs").EnumerateArray().Single(r => r.GetProperty("pipeline_number").GetInt64() == 44);
        Assert.Equal((0L, 3L, 1.0), (run43.GetProperty("test_counts").GetProperty("failure").GetInt64(), run43.GetProperty("test_counts").GetProperty("success").GetInt64(),
            run43.GetProperty("success_rate").GetDouble()));
    }

    [Fact]
    public async Task Project_and_org_summaries_add_up_their_workflows_and_branches()
    {
        var (_, key) = await _seismo.CreateProjectAsync("reports-summary");
        var client = _seismo.CreateClient().WithApiKey(key);
        var now = DateTimeOffset.UtcNow;
        await client.PostRunAsync(RunWatchClient.Report("summary-org/app", 1, "success", now.AddHours(-3), 100));
        await client.PostRunAsync(RunWatchClient.Report("summary-org/app", 2, "failure", now.AddHours(-2), 300));
        await client.PostRunAsync(RunWatchClient.Report("summary-org/app", 3, "success", now.AddHours(-1), 50, pipeline: "Deploy", branch: "release"));

        var page = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/pages/gh/summary-org/app/summary?reporting-window=last-7-days");
        var totals = page.GetProperty("project_data").GetProperty("metrics");
        Assert.Equal((3L, 450L, 0L), (totals.GetProperty("total_runs").GetInt64(), totals.GetProperty("total_duration_secs").GetInt64(),
            totals.GetProperty("total_credits_used").GetInt64()));
        Assert.Equal(2 / 3.0, totals.GetProperty("success_rate").GetDouble(), 4);
        Assert.Equal(3 / 7.0, totals.GetProperty("throughput").GetDouble(), 4);
        Assert.Equal(["CI", "Deploy"], page.GetProperty("all_workflows").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(["main", "release"], page.GetProperty("all_branches").EnumerateArray().Select(w => w.GetString()));
        var ci = page.GetProperty("project_workflow_data").EnumerateArray().Single(w => w.GetProperty("workflow_name").GetString() == "CI");
        Assert.Equal((2L, 0.5), (ci.GetProperty("metrics").GetProperty("total_runs").GetInt64(), ci.GetProperty("metrics").GetProperty("success_rate").GetDouble()));
        Assert.InRange(ci.GetProperty("metrics").GetProperty("p95_duration_secs").GetDouble(), 297, 303);
        var release = Assert.Single(page.GetProperty("project_workflow_branch_data").EnumerateArray(), b => b.GetProperty("branch").GetString() == "release");
        Assert.Equal("Deploy", release.GetProperty("workflow_name").GetString());

        var org = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/summary-org/summary?reporting-window=last-7-days");
        Assert.Equal(["app"], org.GetProperty("all_projects").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(3, org.GetProperty("org_data").GetProperty("metrics").GetProperty("total_runs").GetInt64());
        var app = Assert.Single(org.GetProperty("org_project_data").EnumerateArray());
        Assert.Equal(("app", 450L), (app.GetProperty("project_name").GetString(), app.GetProperty("metrics").GetProperty("total_duration_secs").GetInt64()));
        foreach (var f in new[] { "total_runs", "total_duration_secs", "total_credits_used", "success_rate", "throughput" })
            Assert.True(org.GetProperty("org_data").GetProperty("trends").TryGetProperty(f, out _), f);

        var (_, otherKey) = await _seismo.CreateProjectAsync("reports-other");
        var other = _seismo.CreateClient().WithApiKey(otherKey);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v2/insights/gh/summary-org/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v2/insights/pages/gh/summary-org/app/summary")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v2/insights/pages/gh/summary-org/app/summary?reporting-window=forever")).StatusCode);
    }
}
