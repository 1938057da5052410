using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Pipelines;

public sealed class RunWatchApiTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;
    private HttpClient Admin => _seismo.CreateClient().WithApiKey(SeismoFactory.AdminKey);

    [Fact]
    public async Task The_contract_example_is_accepted_at_both_paths_and_maps_the_repository_to_a_new_project()
    {
        var client = Admin;
        var response = await client.PostAsync("/functions/v1/ingest", new StringContent(RunWatchPayloadTests.Example, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("success").GetBoolean());
        var id = body.GetProperty("pipeline_run_id").GetGuid();

        // The same run through /api/ingest is the same pipeline run.
        var again = await client.PostAsync("/api/ingest", new StringContent(RunWatchPayloadTests.Example, Encoding.UTF8, "application/json"));
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pipeline_run_id").GetGuid());

        var project = await Admin.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/cool-project");
        Assert.Equal("gh/acme/cool-project", project.GetProperty("slug").GetString());
        var projects = await _seismo.Admin().GetFromJsonAsync<JsonElement>("/api/projects");
        Assert.Contains(projects.GetProperty("data").EnumerateArray(), p => p.GetProperty("id").GetGuid() == project.GetProperty("id").GetGuid()
            && p.GetProperty("name").GetString() == "acme/cool-project");
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_in_the_contract_error_shape()
    {
        var cases = new (string Body, string Field)[]
        {
            ("{", "JSON"),
            ("[]", "body"),
            (RunWatchPayloadTests.Example.Replace("\"status\":\"success\",\"mode\"", "\"status\":\"green\",\"mode\""), "status"),
            (RunWatchPayloadTests.Example.Replace("\"run_attempt\":1", "\"run_attempt\":\"x\""), "run_attempt"),
            (RunWatchPayloadTests.Example.Replace("\"actor\":\"octocat\",", ""), "actor"),
        };
        foreach (var (json, field) in cases)
        {
            var response = await Admin.PostAsync("/api/ingest", new StringContent(json, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(JsonValueKind.String, body.GetProperty("error").ValueKind);
            Assert.Contains(field, body.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task No_key_or_a_wrong_key_is_401_and_a_viewer_is_403_in_the_contract_error_shape()
    {
        var json = new StringContent(RunWatchPayloadTests.Example, Encoding.UTF8, "application/json");
        var none = await _seismo.CreateClient().PostAsync("/functions/v1/ingest", json);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(JsonValueKind.String, (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").ValueKind);
        var wrong = await _seismo.CreateClient().WithApiKey("smo_wrong").PostAsync("/api/ingest", json);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var (_, viewerKey) = await _seismo.CreateProjectAsync("runwatch-viewer", role: "viewer");
        var viewer = await _seismo.CreateClient().WithApiKey(viewerKey).PostAsync("/api/ingest", json);
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        Assert.Equal(JsonValueKind.String, (await viewer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_ingest_and_v2_routes()
    {
        var doc = await _seismo.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[] { "/functions/v1/ingest", "/api/ingest", "/api/v2/pipeline", "/api/v2/pipeline/{id}/workflow",
                     "/api/v2/project/{vcs}/{org}/{name}/job/{number}", "/api/v2/insights/{vcs}/{org}/{name}/workflows/{workflow}/summary",
                     "/api/v2/insights/{vcs}/{org}/{name}/flaky-tests", "/api/v2/insights/{vcs}/{org}/summary" })
            Assert.Contains(path, paths);
    }

    [Fact]
    public async Task Cors_allows_any_origin_including_the_preflight()
    {
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/functions/v1/ingest");
        preflight.Headers.Add("Origin", "https://dashboard.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-api-key");
        var answer = await _seismo.CreateClient().SendAsync(preflight);
        Assert.True(answer.IsSuccessStatusCode, answer.StatusCode.ToString());
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var post = new HttpRequestMessage(HttpMethod.Post, "/api/ingest") { Content = new StringContent(RunWatchPayloadTests.Example, Encoding.UTF8, "application/json") };
        post.Headers.Add("Origin", "https://elsewhere.example");
        post.Headers.Add("X-API-Key", SeismoFactory.AdminKey);
        var response = await _seismo.CreateClient().SendAsync(post);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task A_later_post_updates_the_run_and_a_retry_is_a_new_workflow_of_the_same_pipeline()
    {
        var (_, key) = await _seismo.CreateProjectAsync("runwatch-update");
        var client = _seismo.CreateClient().WithApiKey(key);
        var started = DateTimeOffset.UtcNow.AddMinutes(-30);
        var running = await client.PostRunAsync(RunWatchClient.Report("acme/updates", 100, "running", started,
            jobs: [new JobSpec("build", "running")]));
        var done = await client.PostRunAsync(RunWatchClient.Report("acme/updates", 100, "failure", started, duration: 90,
            jobs: [new JobSpec("build", "success", 40), new JobSpec("test", "failure", 45)]));
        Assert.Equal(running, done);
        // A late "running" does not take a finished run back.
        await client.PostRunAsync(RunWatchClient.Report("acme/updates", 100, "running", started));
        var retry = await client.PostRunAsync(RunWatchClient.Report("acme/updates", 100, "success", started.AddMinutes(5), duration: 60, attempt: 2,
            jobs: [new JobSpec("build", "success", 20), new JobSpec("test", "success", 30)]));
        Assert.NotEqual(running, retry);

        var pipelines = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/updates/pipeline");
        var only = Assert.Single(pipelines.GetProperty("items").EnumerateArray());
        var pipelineId = only.GetProperty("id").GetString();
        var workflows = (await client.GetFromJsonAsync<JsonElement>($"/api/v2/pipeline/{pipelineId}/workflow")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, workflows.Count);
        Assert.Equal((retry, "success"), (workflows[0].GetProperty("id").GetGuid(), workflows[0].GetProperty("status").GetString()));
        Assert.Equal((running, "failed"), (workflows[1].GetProperty("id").GetGuid(), workflows[1].GetProperty("status").GetString()));
        Assert.All(workflows, w => Assert.Equal(1, w.GetProperty("pipeline_number").GetInt64()));

        // Jobs keep durations and statuses; numbers in arrival order: build 1, test 2 (first attempt), then 3 and 4.
        var build = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/updates/job/1");
        Assert.Equal(("build", "success", 40_000L), (build.GetProperty("name").GetString(), build.GetProperty("status").GetString(), build.GetProperty("duration").GetInt64()));
        var test = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/updates/job/2");
        Assert.Equal(("test", "failed"), (test.GetProperty("name").GetString(), test.GetProperty("status").GetString()));
        Assert.Equal(running, test.GetProperty("latest_workflow").GetProperty("id").GetGuid());
        var retried = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/updates/job/4");
        Assert.Equal(("test", "success", retry), (retried.GetProperty("name").GetString(), retried.GetProperty("status").GetString(),
            retried.GetProperty("latest_workflow").GetProperty("id").GetGuid()));

        var summary = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/updates/workflows/CI/summary");
        var m = summary.GetProperty("metrics");
        Assert.Equal((2, 1, 1), (m.GetProperty("total_runs").GetInt64(), m.GetProperty("successful_runs").GetInt64(), m.GetProperty("failed_runs").GetInt64()));
    }

    [Fact]
    public async Task A_project_key_maps_new_repositories_to_its_project_and_cannot_report_another_projects_repository()
    {
        var (a, keyA) = await _seismo.CreateProjectAsync("runwatch-a");
        var (_, keyB) = await _seismo.CreateProjectAsync("runwatch-b");
        var now = DateTimeOffset.UtcNow;
        await _seismo.CreateClient().WithApiKey(keyA).PostRunAsync(RunWatchClient.Report("acme/owned-by-a", 1, "success", now, 10));
        var project = await _seismo.CreateClient().WithApiKey(keyA).GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/owned-by-a");
        Assert.Equal(a, project.GetProperty("id").GetGuid());

        var denied = await _seismo.CreateClient().WithApiKey(keyB).PostAsJsonAsync("/api/ingest", RunWatchClient.Report("acme/owned-by-a", 2, "success", now, 10));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal(JsonValueKind.String, (await denied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await _seismo.CreateClient().WithApiKey(keyB).GetAsync("/api/v2/project/gh/acme/owned-by-a")).StatusCode);
    }
}

/// <summary>Each test has its own Seismo: they change the default account's plan.</summary>
public sealed class RunWatchLimitTests
{
    [Fact]
    public async Task Past_the_plans_repository_or_run_limit_is_402()
    {
        await using var seismo = new SeismoFactory();
        var admin = seismo.Admin();
        var account = (await admin.GetFromJsonAsync<JsonElement>("/api/projects")).GetProperty("data")[0].GetProperty("teamId").GetGuid();
        (await admin.PatchAsJsonAsync($"/api/accounts/{account}", new { tier = "free" })).EnsureSuccessStatusCode();
        var client = seismo.CreateClient().WithApiKey(SeismoFactory.AdminKey);
        var now = DateTimeOffset.UtcNow;
        for (var i = 1; i <= 3; i++) await client.PostRunAsync(RunWatchClient.Report($"acme/repo-{i}", 1, "success", now, 10));
        var fourth = await client.PostAsJsonAsync("/api/ingest", RunWatchClient.Report("acme/repo-4", 1, "success", now, 10));
        Assert.Equal(HttpStatusCode.PaymentRequired, fourth.StatusCode);
        Assert.Contains("repositories", (await fourth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        (await admin.PatchAsJsonAsync($"/api/accounts/{account}", new { monthlyObservationLimit = 5 })).EnsureSuccessStatusCode();
        await client.PostRunAsync(RunWatchClient.Report("acme/repo-1", 2, "success", now, 10));
        await client.PostRunAsync(RunWatchClient.Report("acme/repo-1", 3, "running", now));
        var over = await client.PostAsJsonAsync("/api/ingest", RunWatchClient.Report("acme/repo-1", 4, "success", now, 10));
        Assert.Equal(HttpStatusCode.PaymentRequired, over.StatusCode);
        // Updating a run already admitted is not a new run.
        await client.PostRunAsync(RunWatchClient.Report("acme/repo-1", 3, "success", now, 12));
    }
}
