using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Grains;
using Seismo.Tests.Support;

namespace Seismo.Tests.Pipelines;

/// <summary>
/// Deleting /collect runs that joined pipeline jobs (DELETE /api/runs/{id} and retention) corrects the test figures
/// kept on write, flaky-tests and test-metrics, by the time the deletion answers: checked against hand-computed figures.
/// </summary>
public sealed class RunDeletionInsightsTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private const string Slug = "gh/acme/runfix";
    private readonly SeismoFactory _seismo = fixture.Seismo;


    private static Dictionary<string, string> Ci(int? ciRun, string sha)
    {
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = sha, ["GITHUB_REF"] = "refs/heads/main" };
        if (ciRun is { } run)
        {
            env["GITHUB_RUN_ID"] = run.ToString();
            env["GITHUB_JOB"] = "unit";
        }
        return env;
    }

    private static async Task<string> CollectAsync(HttpClient agent, SyntheticCase[] cases, Dictionary<string, string> env)
    {
        var response = await agent.PostArchiveAsync(await SyntheticReports.ArchiveAsync(cases, env: env));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("observation_id").GetString()!;
        await agent.WaitProcessedAsync(id);
        return id;
    }

    /// <summary>Pipeline i (0-based) is number i + 1 with one job, number i + 1; "wobbly" fails when i % 3 == 2 (2 s, 5 s at i = 29).</summary>
    private static SyntheticCase[] Cases(int i) =>
    [
        new("com.acme.Cart", "steady", Seconds: 0.5),
        i % 3 == 2 ? new("com.acme.Cart", "wobbly", "failed", Seconds: i == 29 ? 5 : 2) : new("com.acme.Cart", "wobbly", Seconds: 1),
        new("com.acme.Cart", "slow", Seconds: 7),
    ];

    private static async Task<JsonElement> FlakyAsync(HttpClient client) =>
        Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/v2/insights/{Slug}/flaky-tests")).GetProperty("flaky-tests").EnumerateArray());

    private static (string? Name, long Times, long Wasted, long Job, long Pipeline) Flake(JsonElement item) =>
        (item.GetProperty("test-name").GetString(), item.GetProperty("times-flaked").GetInt64(), item.GetProperty("time-wasted").GetInt64(),
            item.GetProperty("job-number").GetInt64(), item.GetProperty("pipeline-number").GetInt64());

    private static Task<JsonElement> MetricsAsync(HttpClient client) =>
        client.GetFromJsonAsync<JsonElement>($"/api/v2/insights/{Slug}/workflows/CI/test-metrics");

    private static (long Total, long Average, long Failed, long Runs, double P95, string Slowest) Metrics(JsonElement m)
    {
        var wobbly = Assert.Single(m.GetProperty("most_failed_tests").EnumerateArray());
        Assert.Equal("wobbly", wobbly.GetProperty("test_name").GetString());
        return (m.GetProperty("total_test_runs").GetInt64(), m.GetProperty("average_test_count").GetInt64(), wobbly.GetProperty("failed_runs").GetInt64(),
            wobbly.GetProperty("total_runs").GetInt64(), wobbly.GetProperty("p95_duration").GetDouble(),
            string.Join(",", m.GetProperty("slowest_tests").EnumerateArray().Select(t => t.GetProperty("test_name").GetString())));
    }

    private static (long Failure, long Success, long Total) RunCounts(JsonElement m, long pipeline)
    {
        var c = m.GetProperty("test_runs").EnumerateArray().Single(r => r.GetProperty("pipeline_number").GetInt64() == pipeline).GetProperty("test_counts");
        return (c.GetProperty("failure").GetInt64(), c.GetProperty("success").GetInt64(), c.GetProperty("total").GetInt64());
    }

    private static async Task<string> WorkflowIdAsync(HttpClient client, long pipeline)
    {
        var id = (await client.GetFromJsonAsync<JsonElement>($"/api/v2/project/{Slug}/pipeline/{pipeline}")).GetProperty("id").GetString();
        var workflows = await client.GetFromJsonAsync<JsonElement>($"/api/v2/pipeline/{id}/workflow");
        return Assert.Single(workflows.GetProperty("items").EnumerateArray()).GetProperty("id").GetString()!;
    }

    private static async Task<int> JobArtifactsAsync(HttpClient client, long job) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v2/project/{Slug}/{job}/artifacts")).GetProperty("items").GetArrayLength();

    /// <summary>30 pipelines of acme/runfix, each joined by one /collect run (ids returned); the cutoff falls between i = 9 and 10.</summary>
    private static async Task<(string[] Runs, DateTimeOffset Cutoff)> HistoryAsync(HttpClient client, HttpClient agent)
    {
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        var runs = new string[30];
        DateTimeOffset cutoff = default;
        for (var i = 0; i < 30; i++)
        {
            if (i == 10) cutoff = DateTimeOffset.UtcNow;
            var at = start.AddMinutes(i);
            await client.PostRunAsync(RunWatchClient.Report("acme/runfix", 900 + i, "success", at, 60, jobs: [new JobSpec("unit", "success", 50, at)]));
            runs[i] = await CollectAsync(agent, Cases(i), Ci(900 + i, $"fix{i}"));
        }
        return (runs, cutoff);
    }

    private static Task<JsonElement> FlakesCountedAsync(HttpClient client, long times) =>
        Eventually.ReadAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/v2/insights/{Slug}/flaky-tests"),
            f => f.GetProperty("flaky-tests").GetArrayLength() == 1 && f.GetProperty("flaky-tests")[0].GetProperty("times-flaked").GetInt64() == times);

    [Fact]
    public async Task Deleting_joined_runs_corrects_flaky_tests_and_test_metrics_before_the_delete_answers()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("runfix");
        var client = _seismo.CreateClient().WithApiKey(key);
        var agent = _seismo.ClientWithKey(key);
        var admin = _seismo.Admin();
        var (runs, cutoff) = await HistoryAsync(client, agent);
        // A run that names no CI run joins no job: the figures never had it.
        var unjoined = await CollectAsync(agent, [new("com.acme.Cart", "steady", Seconds: 0.5), new("com.acme.Cart", "wobbly", Seconds: 1)], Ci(null, "local"));

        // By hand: wobbly failed at i = 2, 5, …, 29: 10 flakes, 9 × 2 + 5 = 23 s; the latest is i = 29 (pipeline 30, job 30).
        var item = Assert.Single((await FlakesCountedAsync(client, 10)).GetProperty("flaky-tests").EnumerateArray());
        Assert.Equal(("wobbly", 10L, 23L, 30L, 30L), Flake(item));
        Assert.Equal(await WorkflowIdAsync(client, 30), item.GetProperty("workflow-id").GetString());
        // The last ten pipelines (i = 20..29, 3 tests each): wobbly failed at 20, 23, 26, 29; its durations 2,1,1,2,1,1,2,1,1,5 s → p95 5 s.
        var metrics = await Eventually.ReadAsync(() => MetricsAsync(client), m => m.GetProperty("total_test_runs").GetInt64() == 30);
        Assert.Equal((30L, 3L, 4L, 10L, 5.0, "slow,wobbly,steady"), Metrics(metrics));
        Assert.Equal((1L, 2L, 3L), RunCounts(metrics, 30));
        Assert.Equal(1, await JobArtifactsAsync(client, 30));

        // i = 29 goes, and with it wobbly's latest flake: 9 flakes, 18 s, the latest now i = 26 (pipeline 27, job 27). Pipeline 30
        // keeps its workflow run but no tests: 27 test runs over 9 runs with tests; wobbly 3 failures in 9 runs, durations without the 5 s.
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/runs/{runs[29]}")).StatusCode);
        item = await FlakyAsync(client);
        Assert.Equal(("wobbly", 9L, 18L, 27L, 27L), Flake(item));
        Assert.Equal(await WorkflowIdAsync(client, 27), item.GetProperty("workflow-id").GetString());
        metrics = await MetricsAsync(client);
        Assert.Equal((27L, 3L, 3L, 9L, 2.0, "slow,wobbly,steady"), Metrics(metrics));
        Assert.Equal((0L, 0L, 0L), RunCounts(metrics, 30));
        Assert.Equal(10, metrics.GetProperty("test_runs").GetArrayLength());
        Assert.Equal(0, await JobArtifactsAsync(client, 30));

        // Deleting it again, or a run that joined nothing, changes nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/runs/{runs[29]}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/runs/{unjoined}")).StatusCode);
        Assert.Equal(("wobbly", 9L, 18L, 27L, 27L), Flake(await FlakyAsync(client)));
        Assert.Equal((27L, 3L, 3L, 9L, 2.0, "slow,wobbly,steady"), Metrics(await MetricsAsync(client)));

        // An older flake (i = 5) leaves the tally only; a pass inside the last ten (i = 24) leaves test-metrics only.
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/runs/{runs[5]}")).StatusCode);
        Assert.Equal(("wobbly", 8L, 16L, 27L, 27L), Flake(await FlakyAsync(client)));
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/runs/{runs[24]}")).StatusCode);
        Assert.Equal(("wobbly", 8L, 16L, 27L, 27L), Flake(await FlakyAsync(client)));
        metrics = await MetricsAsync(client);
        Assert.Equal((24L, 3L, 3L, 8L, 2.0, "slow,wobbly,steady"), Metrics(metrics));
        Assert.Equal((0L, 0L, 0L), RunCounts(metrics, 25));

        // Retention: the runs created before i = 10 (i = 5 already gone) take the flakes of i = 2 and 8 with them: 6 flakes, 12 s.
        var project = _seismo.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(projectId);
        Assert.Equal(9, await project.DeleteRunsBeforeAsync(cutoff));
        Assert.Equal(("wobbly", 6L, 12L, 27L, 27L), Flake(await FlakyAsync(client)));
        Assert.Equal((24L, 3L, 3L, 8L, 2.0, "slow,wobbly,steady"), Metrics(await MetricsAsync(client)));
        Assert.Equal(0, await JobArtifactsAsync(client, 1));
        Assert.Equal(1, await JobArtifactsAsync(client, 11));
    }

    [Fact]
    public async Task Flake_tallies_written_behind_survive_a_restart_and_a_run_is_still_taken_out_after_it()
    {
        var dataDir = TempDir.Create("seismo-runfix-restart");
        string key, latest;
        await using (var first = new SeismoFactory(dataDir))
        {
            (_, key) = await first.CreateProjectAsync("runfix-restart");
            var (runs, _) = await HistoryAsync(first.CreateClient().WithApiKey(key), first.ClientWithKey(key));
            Assert.Equal(("wobbly", 10L, 23L, 30L, 30L), Flake(Assert.Single((await FlakesCountedAsync(first.CreateClient().WithApiKey(key), 10))
                .GetProperty("flaky-tests").EnumerateArray())));
            latest = runs[29];
        }

        // The tallies were flushed as the node stopped; the next activation knows which runs they hold.
        await using var second = new SeismoFactory(dataDir);
        var client = second.CreateClient().WithApiKey(key);
        Assert.Equal(("wobbly", 10L, 23L, 30L, 30L), Flake(await FlakyAsync(client)));
        Assert.Equal(HttpStatusCode.OK, (await second.Admin().DeleteAsync($"/api/runs/{latest}")).StatusCode);
        Assert.Equal(("wobbly", 9L, 18L, 27L, 27L), Flake(await FlakyAsync(client)));
    }

    [Fact]
    public async Task A_run_deleted_while_it_waits_for_its_pipeline_never_joins_it()
    {
        var (_, key) = await _seismo.CreateProjectAsync("runfix-pending");
        var client = _seismo.CreateClient().WithApiKey(key);
        var agent = _seismo.ClientWithKey(key);
        var admin = _seismo.Admin();
        var at = DateTimeOffset.UtcNow.AddHours(-1);
        await client.PostRunAsync(RunWatchClient.Report("acme/runfix-pending", 1, "success", at, 60, jobs: [new JobSpec("unit", "success", 50, at)]));

        // CI run 2's results arrive before its pipeline and are deleted before it is reported.
        var early = await CollectAsync(agent, [new("com.acme.Cart", "wobbly", "failed", Seconds: 3)], Ci(2, "early"));
        await CollectAsync(agent, [new("com.acme.Cart", "steady", Seconds: 1)], Ci(2, "kept"));
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/runs/{early}")).StatusCode);
        await client.PostRunAsync(RunWatchClient.Report("acme/runfix-pending", 2, "success", at.AddMinutes(5), 60,
            jobs: [new JobSpec("unit", "success", 50, at.AddMinutes(5))]));

        // Only the kept run joins job 2: one artifact, one test, passed.
        const string slug = "gh/acme/runfix-pending";
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>($"/api/v2/project/{slug}/2/artifacts")).GetProperty("items").GetArrayLength());
        var metrics = await Eventually.ReadAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/v2/insights/{slug}/workflows/CI/test-metrics"),
            m => m.GetProperty("total_test_runs").GetInt64() > 0);
        var newest = metrics.GetProperty("test_runs")[0];
        Assert.Equal(2, newest.GetProperty("pipeline_number").GetInt64());
        Assert.Equal((0L, 1L, 1L), (newest.GetProperty("test_counts").GetProperty("failure").GetInt64(),
            newest.GetProperty("test_counts").GetProperty("success").GetInt64(), newest.GetProperty("test_counts").GetProperty("total").GetInt64()));
        Assert.Empty(metrics.GetProperty("most_failed_tests").EnumerateArray());
    }
}
