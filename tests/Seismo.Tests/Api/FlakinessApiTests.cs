using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Api;

/// <summary>The scorer, quarantine and the flakiness API end to end: results in through /collect, answers over HTTP.</summary>
public sealed class FlakinessApiTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    /// <summary>Posts runs of three tests: "steady" always passes, "wobbly" fails every third run, "retried" passed on retry once.</summary>
    private static async Task IngestAsync(HttpClient agent, int runs, int firstRun = 0)
    {
        for (var i = firstRun; i < firstRun + runs; i++)
        {
            var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = $"sha{i}", ["GITHUB_REF"] = "refs/heads/main" };
            SyntheticCase[] cases =
            [
                new("com.acme.Api", "steady"),
                new("com.acme.Api", "wobbly", i % 3 == 2 ? "failed" : "passed"),
                new("com.acme.Api", "retried", Reruns: i == 1 ? 1 : 0),
            ];
            var response = await agent.PostArchiveAsync(await SyntheticReports.ArchiveAsync(cases, env: env));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await agent.WaitProcessedAsync((await response.JsonAsync()).GetProperty("observation_id").GetString()!);
        }
    }


    private static JsonElement Row(JsonElement list, string title) =>
        list.GetProperty("data").EnumerateArray().Single(r => r.GetProperty("testTitle").GetString() == title);

    [Fact]
    public async Task A_flaky_test_is_labelled_listed_first_and_quarantined_automatically()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("flaky-auto");
        var agent = _seismo.ClientWithKey(key);
        var settings = await _seismo.Admin().PatchAsJsonAsync($"/api/projects/{projectId}/settings", new { flakinessThreshold = 0.1 });
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);

        await IngestAsync(agent, 30);

        var list = await Eventually.ReadAsync(() => agent.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={projectId}"),
            l => Row(l, "wobbly").GetProperty("isQuarantined").GetBoolean() && Row(l, "steady").GetProperty("totalRuns").GetInt64() == 30);
        var data = list.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(3, data.Count);
        Assert.Equal("wobbly", data[0].GetProperty("testTitle").GetString());
        Assert.Equal("FLAKY", data[0].GetProperty("label").GetString());
        Assert.True(data[0].GetProperty("isQuarantined").GetBoolean());
        Assert.Equal(30, data[0].GetProperty("totalRuns").GetInt64());
        var scores = data.Select(r => r.GetProperty("flakinessScore").GetDouble()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.InRange(scores[0], 0.1, 0.5);

        var retried = Row(list, "retried");
        Assert.Equal(1, retried.GetProperty("flakyRuns").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, retried.GetProperty("lastFlakyAt").ValueKind);
        Assert.Equal("STABLE", Row(list, "steady").GetProperty("label").GetString());

        var summary = list.GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("totalFlakyTests").GetInt32());
        Assert.Equal(1, summary.GetProperty("quarantinedTests").GetInt32());
        Assert.Equal(Math.Round(scores[0], 4), summary.GetProperty("averageFlakinessScore").GetDouble(), 3);

        var wobblyId = data[0].GetProperty("testId").GetString()!;
        var detail = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{wobblyId}");
        Assert.True(detail.GetProperty("isQuarantined").GetBoolean());
        Assert.Equal("FLAKY", detail.GetProperty("label").GetString());
        Assert.True(detail.GetProperty("quarantine").GetProperty("automatic").GetBoolean());
        Assert.Equal("auto", detail.GetProperty("quarantine").GetProperty("decidedBy").GetString());

        var catalogue = await agent.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={projectId}&search=wobbly");
        Assert.Equal("FLAKY", catalogue.GetProperty("data")[0].GetProperty("label").GetString());
        Assert.True(catalogue.GetProperty("data")[0].GetProperty("isQuarantined").GetBoolean());
        var latestRun = detail.GetProperty("runId").GetString();
        var results = await agent.GetFromJsonAsync<JsonElement>($"/api/tests?runId={latestRun}&search=wobbly");
        Assert.True(results.GetProperty("data")[0].GetProperty("isQuarantined").GetBoolean());
        Assert.Equal("FLAKY", results.GetProperty("data")[0].GetProperty("label").GetString());

        var high = await agent.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={projectId}&minScore=0.1");
        Assert.Equal(["wobbly"], high.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("testTitle").GetString()));
        Assert.Equal(1, high.GetProperty("summary").GetProperty("quarantinedTests").GetInt32());
        var quarantined = await agent.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={projectId}&quarantined=true");
        Assert.Equal(["wobbly"], quarantined.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("testTitle").GetString()));
        var free = await agent.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={projectId}&quarantined=false");
        Assert.Equal(2, free.GetProperty("data").GetArrayLength());
        var page = await agent.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={projectId}&limit=1&offset=1");
        Assert.Equal(data[1].GetProperty("testId").GetString(), page.GetProperty("data")[0].GetProperty("testId").GetString());
        Assert.Equal(3, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_person_decides_quarantine_and_wins_over_the_automatic_rule()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("flaky-manual");
        var agent = _seismo.ClientWithKey(key);
        await _seismo.Admin().PatchAsJsonAsync($"/api/projects/{projectId}/settings", new { flakinessThreshold = 0.1 });
        await IngestAsync(agent, 30);
        var list = await Eventually.ReadAsync(() => agent.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={projectId}"),
            l => Row(l, "wobbly").GetProperty("isQuarantined").GetBoolean());
        var wobbly = Row(list, "wobbly").GetProperty("testId").GetString()!;
        var steady = Row(list, "steady").GetProperty("testId").GetString()!;

        var quarantine = await agent.PostAsJsonAsync("/api/flakiness", new { testId = steady, projectId, isQuarantined = true });
        Assert.Equal(HttpStatusCode.OK, quarantine.StatusCode);
        var body = await quarantine.JsonAsync();
        Assert.Equal(steady, body.GetProperty("testId").GetString());
        Assert.True(body.GetProperty("isQuarantined").GetBoolean());
        Assert.True(body.TryGetProperty("updatedAt", out _));
        var detail = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{steady}");
        Assert.True(detail.GetProperty("isQuarantined").GetBoolean());
        Assert.False(detail.GetProperty("quarantine").GetProperty("automatic").GetBoolean());
        Assert.StartsWith("key:", detail.GetProperty("quarantine").GetProperty("decidedBy").GetString());

        var release = await agent.PostAsJsonAsync("/api/flakiness", new { testId = wobbly, projectId, isQuarantined = false });
        Assert.False((await release.JsonAsync()).GetProperty("isQuarantined").GetBoolean());
        await IngestAsync(agent, 9, firstRun: 30);

        list = await Eventually.ReadAsync(() => agent.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={projectId}"),
            l => Row(l, "wobbly").GetProperty("totalRuns").GetInt64() == 39);
        Assert.Equal("FLAKY", Row(list, "wobbly").GetProperty("label").GetString());
        Assert.False(Row(list, "wobbly").GetProperty("isQuarantined").GetBoolean()); // the person's release holds
        Assert.True(Row(list, "steady").GetProperty("isQuarantined").GetBoolean()); // clean runs never release a person's quarantine
        Assert.Equal(1, list.GetProperty("summary").GetProperty("quarantinedTests").GetInt32());
    }

    [Theory]
    [InlineData("{}", "testId")]
    [InlineData("""{"testId":"t_x","isQuarantined":true}""", "projectId")]
    [InlineData("""{"testId":"t_x","projectId":"PROJECT"}""", "isQuarantined")]
    [InlineData("""{"testId":"t_x","projectId":"PROJECT","isQuarantined":"yes"}""", "isQuarantined")]
    [InlineData("""{"testId":"t_x","projectId":"not-a-uuid","isQuarantined":true}""", "projectId")]
    [InlineData("[1]", "body")]
    public async Task Bad_quarantine_requests_are_400_naming_the_field(string json, string field)
    {
        var project = await _seismo.DefaultProjectAsync();
        var response = await _seismo.Admin().PostAsync("/api/flakiness",
            new StringContent(json.Replace("PROJECT", project.ToString()), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.JsonAsync()).ErrorField());
    }

    [Fact]
    public async Task Quarantine_needs_upload_on_the_test_s_own_project_and_a_known_test()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("flaky-perms");
        var (otherProject, otherKey) = await _seismo.CreateProjectAsync("flaky-perms-other");
        var (_, viewerKey) = await _seismo.CreateProjectAsync("flaky-perms-viewer", role: "viewer");
        await IngestAsync(_seismo.ClientWithKey(key), 1);
        var list = await _seismo.ClientWithKey(key).GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={projectId}");
        var testId = list.GetProperty("data")[0].GetProperty("testId").GetString()!;

        var viewer = await _seismo.ClientWithKey(viewerKey).PostAsJsonAsync("/api/flakiness", new { testId, projectId, isQuarantined = true });
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        var otherTenant = await _seismo.ClientWithKey(otherKey).PostAsJsonAsync("/api/flakiness", new { testId, projectId, isQuarantined = true });
        Assert.Equal(HttpStatusCode.Forbidden, otherTenant.StatusCode);
        var wrongProject = await _seismo.Admin().PostAsJsonAsync("/api/flakiness", new { testId, projectId = otherProject, isQuarantined = true });
        Assert.Equal(HttpStatusCode.NotFound, wrongProject.StatusCode);
        var unknown = await _seismo.Admin().PostAsJsonAsync("/api/flakiness", new { testId = "t_nope", projectId, isQuarantined = true });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("NOT_FOUND", (await unknown.JsonAsync()).ErrorCode());
        Assert.Equal(HttpStatusCode.NotFound, (await _seismo.ClientWithKey(otherKey).GetAsync($"/api/flakiness?projectId={projectId}")).StatusCode);
    }

    [Theory]
    [InlineData("minScore=2", "minScore")]
    [InlineData("minScore=abc", "minScore")]
    [InlineData("quarantined=maybe", "quarantined")]
    [InlineData("limit=0", "limit")]
    [InlineData("offset=-1", "offset")]
    public async Task Bad_listing_parameters_are_400_naming_the_parameter(string query, string field)
    {
        var project = await _seismo.DefaultProjectAsync();
        var response = await _seismo.Admin().GetAsync($"/api/flakiness?projectId={project}&{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.JsonAsync()).ErrorField());
        var noProject = await _seismo.Admin().GetAsync("/api/flakiness");
        Assert.Equal("projectId", (await noProject.JsonAsync()).ErrorField());
    }
}
