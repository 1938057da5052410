using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Pipelines;

public sealed class CircleCiApiTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private static readonly string[] PipelineFields = ["id", "errors", "project_slug", "updated_at", "number", "trigger_parameters", "state", "created_at", "trigger", "vcs"];
    private static readonly string[] WorkflowFields = ["pipeline_id", "canceled_by", "id", "name", "project_slug", "errored_by", "tag", "status", "started_by", "pipeline_number", "created_at", "stopped_at"];
    private static readonly string[] JobFields = ["web_url", "project", "parallel_runs", "started_at", "latest_workflow", "name", "executor", "parallelism", "status", "number", "pipeline", "duration", "created_at", "messages", "contexts", "organization", "queued_at", "stopped_at"];

    private static void HasFields(JsonElement e, IEnumerable<string> fields)
    {
        foreach (var f in fields) Assert.True(e.TryGetProperty(f, out _), $"missing {f} in {e}");
    }

    [Fact]
    public async Task Pipelines_list_newest_first_by_page_token_and_branch_and_read_by_number_and_id()
    {
        var (_, key) = await _seismo.CreateProjectAsync("circle-pipelines");
        var client = _seismo.CreateClient().WithApiKey(key);
        var t = DateTimeOffset.UtcNow.AddHours(-2);
        for (var i = 1; i <= 25; i++)
            await client.PostRunAsync(RunWatchClient.Report("acme/paging", 1000 + i, "success", t.AddMinutes(i), 30, branch: i % 5 == 0 ? "dev" : "main"));

        var first = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/paging/pipeline");
        var items = first.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(20, items.Count);
        Assert.Equal(Enumerable.Range(6, 20).Reverse().Select(n => (long)n), items.Select(p => p.GetProperty("number").GetInt64()));
        HasFields(items[0], PipelineFields);
        Assert.Equal("gh/acme/paging", items[0].GetProperty("project_slug").GetString());
        Assert.Equal("octocat", items[0].GetProperty("trigger").GetProperty("actor").GetProperty("login").GetString());
        var token = first.GetProperty("next_page_token").GetString();
        var second = await client.GetFromJsonAsync<JsonElement>($"/api/v2/project/gh/acme/paging/pipeline?page-token={token}");
        Assert.Equal([5L, 4, 3, 2, 1], second.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("number").GetInt64()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_page_token").ValueKind);

        var dev = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/github/acme/paging/pipeline?branch=dev");
        Assert.Equal([25L, 20, 15, 10, 5], dev.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("number").GetInt64()));
        Assert.All(dev.GetProperty("items").EnumerateArray(), p => Assert.Equal("dev", p.GetProperty("vcs").GetProperty("branch").GetString()));

        var seven = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh%2Facme%2Fpaging/pipeline/7");
        Assert.Equal(7, seven.GetProperty("number").GetInt64());
        var byId = await client.GetFromJsonAsync<JsonElement>($"/api/v2/pipeline/{seven.GetProperty("id").GetString()}");
        Assert.Equal(seven.GetProperty("id").GetString(), byId.GetProperty("id").GetString());
        var workflows = await client.GetFromJsonAsync<JsonElement>($"/api/v2/pipeline/{byId.GetProperty("id").GetString()}/workflow");
        var workflow = Assert.Single(workflows.GetProperty("items").EnumerateArray());
        HasFields(workflow, WorkflowFields);
        Assert.Equal(("CI", "success"), (workflow.GetProperty("name").GetString(), workflow.GetProperty("status").GetString()));

        var org = await client.GetFromJsonAsync<JsonElement>("/api/v2/pipeline?org-slug=gh/acme");
        Assert.Equal(20, org.GetProperty("items").GetArrayLength());
        var orgNext = await client.GetFromJsonAsync<JsonElement>($"/api/v2/pipeline?org-slug=gh/acme&page-token={org.GetProperty("next_page_token").GetString()}");
        Assert.Equal(5, orgNext.GetProperty("items").GetArrayLength());

        foreach (var path in new[] { "/api/v2/project/gh/acme/paging/pipeline/99", $"/api/v2/pipeline/{Guid.NewGuid()}", "/api/v2/pipeline/not-a-uuid",
                     "/api/v2/project/gh/acme/nothing/pipeline", "/api/v2/project/xx/acme/paging", "/api/v2/project/gh/acme/paging/job/999" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
            Assert.Equal(JsonValueKind.String, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").ValueKind);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v2/project/gh/acme/paging/pipeline?page-token=garbage!")).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_pipelines_and_jobs_are_404_and_no_key_is_401()
    {
        var (_, keyA) = await _seismo.CreateProjectAsync("circle-tenant-a");
        var (_, keyB) = await _seismo.CreateProjectAsync("circle-tenant-b");
        var a = _seismo.CreateClient().WithApiKey(keyA);
        await a.PostRunAsync(RunWatchClient.Report("acme/private", 1, "success", DateTimeOffset.UtcNow, 5, jobs: [new JobSpec("build", "success", 5)]));
        var pipeline = (await a.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/private/pipeline/1")).GetProperty("id").GetString();

        var b = _seismo.CreateClient();
        b.DefaultRequestHeaders.Add("Circle-Token", keyB);
        foreach (var path in new[] { "/api/v2/project/gh/acme/private", "/api/v2/project/gh/acme/private/pipeline", "/api/v2/project/gh/acme/private/pipeline/1",
                     $"/api/v2/pipeline/{pipeline}", $"/api/v2/pipeline/{pipeline}/workflow", "/api/v2/project/gh/acme/private/job/1",
                     "/api/v2/project/gh/acme/private/1/tests", "/api/v2/project/gh/acme/private/1/artifacts",
                     "/api/v2/insights/gh/acme/private/workflows", "/api/v2/insights/gh/acme/private/workflows/CI/summary" })
        {
            var response = await b.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
        }
        Assert.DoesNotContain((await b.GetFromJsonAsync<JsonElement>("/api/v2/pipeline?org-slug=gh/acme")).GetProperty("items").EnumerateArray(),
            p => p.GetProperty("project_slug").GetString() == "gh/acme/private");
        var anonymous = await _seismo.CreateClient().GetAsync("/api/v2/project/gh/acme/private");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(JsonValueKind.String, (await anonymous.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").ValueKind);
    }

    [Fact]
    public async Task A_collect_run_joins_its_pipeline_job_by_provider_run_id_and_job_name()
    {
        var (project, key) = await _seismo.CreateProjectAsync("circle-join");
        var client = _seismo.CreateClient().WithApiKey(key);
        var started = DateTimeOffset.UtcNow.AddMinutes(-10);
        await client.PostRunAsync(RunWatchClient.Report("acme/joined", 4242, "success", started, 60,
            jobs: [new JobSpec("build", "success", 20), new JobSpec("unit-tests", "success", 35, JobId: "77")]));

        var env = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_RUN_ID"] = "4242", ["GITHUB_JOB"] = "unit-tests", ["GITHUB_REPOSITORY"] = "acme/joined",
            ["GITHUB_SHA"] = "abc123", ["GITHUB_REF"] = "refs/heads/main", ["GITHUB_RUN_ATTEMPT"] = "1",
        };
        var archive = await SyntheticReports.ArchiveAsync([new("calc.Adds", "two", Seconds: 1.5), new("calc.Adds", "three", "failed", 0.25)], env: env);
        var posted = await (await _seismo.ClientWithKey(key).PostArchiveAsync(archive)).JsonAsync();
        var runId = posted.GetProperty("observation_id").GetString()!;

        // The job of that name is number 2 (build is 1); the join is asynchronous, so wait for it.
        JsonElement tests = default;
        for (var i = 0; i < 200; i++)
        {
            tests = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/joined/2/tests");
            if (tests.GetProperty("items").GetArrayLength() > 0) break;
            await Task.Delay(25);
        }
        var items = tests.GetProperty("items").EnumerateArray().OrderBy(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(("three", "failure", "calc.Adds"), (items[0].GetProperty("name").GetString(), items[0].GetProperty("result").GetString(),
            items[0].GetProperty("classname").GetString()));
        Assert.Equal(("two", "success", 1.5), (items[1].GetProperty("name").GetString(), items[1].GetProperty("result").GetString(),
            items[1].GetProperty("run_time").GetDouble()));
        foreach (var f in new[] { "message", "source", "run_time", "file", "result", "name", "classname" }) Assert.True(items[0].TryGetProperty(f, out _), f);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/joined/1/tests")).GetProperty("items").EnumerateArray());

        var artifacts = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/joined/2/artifacts");
        var artifact = Assert.Single(artifacts.GetProperty("items").EnumerateArray());
        Assert.EndsWith($"/api/runs/{runId}/output", artifact.GetProperty("url").GetString());
        Assert.Equal(0, artifact.GetProperty("node_index").GetInt64());

        var job = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/joined/job/2");
        foreach (var f in JobFields) Assert.True(job.TryGetProperty(f, out _), f);
        Assert.Equal(("unit-tests", 2L, 35_000L), (job.GetProperty("name").GetString(), job.GetProperty("number").GetInt64(), job.GetProperty("duration").GetInt64()));
        Assert.Equal(project, job.GetProperty("project").GetProperty("id").GetGuid());
    }
}
