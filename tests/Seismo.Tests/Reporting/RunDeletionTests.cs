using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Grains;
using Seismo.Grains.Storage;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>
/// DELETE /api/runs/{id} and retention: counters right away, and each affected test, once replayed, equal to a
/// project that only ever received the remaining runs.
/// </summary>
public sealed class RunDeletionTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    // Run i: "wobbly" fails on runs 1 and 3 and passes on retry on run 4; "steady" always passes.
    private static async Task<string> ReportRunAsync(HttpClient http, Guid projectId, int i)
    {
        var runId = await http.OpenRunAsync(projectId, sha: $"sha{i}");
        await http.PostTestAsync(ReporterClient.Test(runId, projectId, "Suite > steady"));
        await http.PostTestAsync(ReporterClient.Test(runId, projectId, "Suite > wobbly", i is 1 or 3 ? "failed" : i == 4 ? "flaky" : "passed", attempt: i == 4 ? 2 : 1));
        await http.CloseRunAsync(runId, i is 1 or 3 ? "failed" : "passed");
        return runId;
    }

    private static async Task<JsonElement> TestAsync(HttpClient http, Guid projectId, string title)
    {
        var list = await http.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={projectId}&search={title}");
        var testId = list.GetProperty("data")[0].GetProperty("testId").GetString()!;
        return await http.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}");
    }

    private async Task<int> StaleAsync(Guid projectId) =>
        await _seismo.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(projectId).CountStaleTestsAsync();

    private async Task ReplayedAsync(Guid projectId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await StaleAsync(projectId) > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(0, await StaleAsync(projectId));
    }

    private static readonly string[] Compared = ["totalRuns", "passedRuns", "failedRuns", "flakyRuns", "status", "flakinessScore", "label", "isQuarantined"];

    [Fact]
    public async Task After_deleting_runs_each_test_equals_a_replay_of_the_remaining_runs()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("delete-replay");
        var (expectedId, expectedKey) = await _seismo.CreateProjectAsync("delete-replay-expected");
        var http = _seismo.ClientWithKey(key);
        var expected = _seismo.ClientWithKey(expectedKey);
        var runs = new List<string>();
        for (var i = 0; i < 6; i++) runs.Add(await ReportRunAsync(http, projectId, i));
        foreach (var i in new[] { 0, 2, 4 }) await ReportRunAsync(expected, expectedId, i);
        await _seismo.DrainAsync();
        await Eventually.ReadAsync(() => TestAsync(http, projectId, "wobbly"), t => t.GetProperty("totalRuns").GetInt64() == 6);

        var admin = _seismo.Admin();
        foreach (var i in new[] { 1, 3, 5 })
        {
            var deleted = await admin.DeleteAsync($"/api/runs/{runs[i]}");
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            var body = await deleted.JsonAsync();
            Assert.True(body.GetProperty("success").GetBoolean());
            Assert.Equal("Run deleted successfully", body.GetProperty("message").GetString());
        }
        // The counters are right at once.
        var list = await http.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={projectId}");
        Assert.Equal(3, list.GetProperty("total").GetInt64());
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={projectId}&status=failed")).GetProperty("total").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/runs/{runs[1]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/runs/{runs[1]}")).StatusCode);

        await ReplayedAsync(projectId);
        await _seismo.DrainAsync();
        await Eventually.ReadAsync(() => TestAsync(expected, expectedId, "wobbly"), t => t.GetProperty("totalRuns").GetInt64() == 3);
        foreach (var title in new[] { "wobbly", "steady" })
        {
            var actual = await TestAsync(http, projectId, title);
            var wanted = await TestAsync(expected, expectedId, title);
            foreach (var field in Compared) Assert.Equal(wanted.GetProperty(field).GetRawText(), actual.GetProperty(field).GetRawText());
            var history = (await http.HistoryAsync(actual.GetProperty("testId").GetString()!)).GetProperty("data").EnumerateArray().Select(h => h.GetProperty("runId").GetString()).ToArray();
            Assert.Equal(new[] { runs[4], runs[2], runs[0] }, history);
        }
        var wobbly = await TestAsync(http, projectId, "wobbly");
        Assert.Equal(runs[4], wobbly.GetProperty("runId").GetString());

        // New runs link onto the replayed history.
        await ReportRunAsync(http, projectId, 6);
        await ReportRunAsync(expected, expectedId, 6);
        await _seismo.DrainAsync();
        var after = await Eventually.ReadAsync(() => TestAsync(http, projectId, "wobbly"), t => t.GetProperty("totalRuns").GetInt64() == 4);
        var afterExpected = await Eventually.ReadAsync(() => TestAsync(expected, expectedId, "wobbly"), t => t.GetProperty("totalRuns").GetInt64() == 4);
        foreach (var field in Compared) Assert.Equal(afterExpected.GetProperty(field).GetRawText(), after.GetProperty(field).GetRawText());
    }

    [Fact]
    public async Task Deleting_removes_the_archive_artifacts_and_a_test_left_without_runs()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("delete-files");
        var http = _seismo.ClientWithKey(key);
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = "s1", ["GITHUB_REF"] = "refs/heads/main" };
        var collected = await (await http.PostArchiveAsync(await SyntheticReports.ArchiveAsync([new SyntheticCase("com.acme.Only", "once")], env: env))).JsonAsync();
        var observation = collected.GetProperty("observation_id").GetString()!;
        await http.WaitProcessedAsync(observation);
        // A small upload is kept with its run in the run log.
        var runStore = _seismo.Services.GetRequiredService<IRunStore>();
        var collectedGuid = Guid.Parse(observation.Split('_')[^1]);
        Assert.NotNull(await runStore.ReadArchiveAsync(collectedGuid));

        var runId = await http.OpenRunAsync(projectId);
        var artifact = new MultipartFormDataContent { { new StringContent("trace"), "type" }, { new StringContent(runId), "runId" },
            { new StringContent(projectId.ToString()), "projectId" }, { new ByteArrayContent([(byte)'P', (byte)'K', 5, 6]), "file", "trace.zip" } };
        var url = (await (await http.PostAsync("/api/upload", artifact)).JsonAsync()).GetProperty("url").GetString()!;
        await http.CloseRunAsync(runId, "passed");

        var admin = _seismo.Admin();
        Assert.Equal(HttpStatusCode.Forbidden, (await http.DeleteAsync($"/api/runs/{observation}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/runs/{observation}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/runs/{runId}")).StatusCode);
        Assert.Null(await runStore.ReadArchiveAsync(collectedGuid));
        Assert.Equal(HttpStatusCode.NotFound, (await _seismo.CreateClient().GetAsync(new Uri(url).PathAndQuery)).StatusCode);

        await ReplayedAsync(projectId);
        var tests = await http.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={projectId}");
        Assert.Equal(0, tests.GetProperty("total").GetInt64());
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={projectId}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Retention_deletes_the_runs_before_a_cutoff()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("delete-retention");
        var http = _seismo.ClientWithKey(key);
        var old = await ReportRunAsync(http, projectId, 0);
        var open = await http.OpenRunAsync(projectId);
        var cutoff = DateTimeOffset.UtcNow;
        var kept = await ReportRunAsync(http, projectId, 1);
        await _seismo.DrainAsync();

        var grain = _seismo.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(projectId);
        Assert.Equal(2, await grain.DeleteRunsBeforeAsync(cutoff));
        await ReplayedAsync(projectId);
        var runs = await http.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={projectId}");
        Assert.Equal(new[] { kept }, runs.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToArray());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/runs/{old}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/runs/{open}")).StatusCode);
        var wobbly = await TestAsync(http, projectId, "wobbly");
        Assert.Equal(1, wobbly.GetProperty("totalRuns").GetInt64());
        Assert.Equal("failed", wobbly.GetProperty("status").GetString());
    }
}
