using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>POST and PATCH /api/runs over HTTP: fields kept, statuses, scoring once, permissions and tenants.</summary>
public sealed class ReporterRunsApiTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private static readonly object FullRun = new
    {
        status = "running", branch = "feature/login-flow", commitSha = "a1b2c3d4e5f6", commitMessage = "Add login flow tests",
        commitAuthor = "jane@example.com", ciProvider = "github-actions", ciBuildId = "run-12345",
        ciBuildUrl = "https://github.com/org/repo/actions/runs/12345", playwrightVersion = "1.52.0", workers = 4, shardCurrent = 1, shardTotal = 3,
        browser = "chromium", os = "linux", viewport = "1280x720", hostname = "ci-runner-01", runTitle = "Login Flow Tests",
        tags = new[] { "smoke", "login" }, grepPatterns = new[] { "@smoke" },
    };

    private static JsonElement WithProject(Guid projectId)
    {
        var json = JsonSerializer.SerializeToNode(FullRun)!.AsObject();
        json["projectId"] = projectId.ToString();
        return JsonSerializer.SerializeToElement(json);
    }

    [Fact]
    public async Task A_run_keeps_and_returns_every_field_of_the_contract()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("runs-fields");
        var http = _seismo.ClientWithKey(key);
        var response = await http.PostAsJsonAsync("/api/runs", WithProject(projectId));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        var sent = WithProject(projectId);
        foreach (var field in sent.EnumerateObject())
            Assert.Equal(field.Value.GetRawText(), created.GetProperty(field.Name).GetRawText());
        Assert.True(created.TryGetProperty("createdAt", out _) && created.TryGetProperty("updatedAt", out _));

        var id = created.GetProperty("id").GetString()!;
        var detail = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
        foreach (var field in sent.EnumerateObject())
            Assert.Equal(field.Value.GetRawText(), detail.GetProperty(field.Name).GetRawText());
        Assert.Equal(0, detail.GetProperty("totalTests").GetInt32());

        var list = await http.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={projectId}&status=running");
        Assert.Equal(1, list.GetProperty("total").GetInt64());
        Assert.Equal(id, list.GetProperty("data")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Patch_updates_statistics_and_closing_feeds_the_scorer_once()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("runs-close");
        var http = _seismo.ClientWithKey(key);
        var runId = await http.OpenRunAsync(projectId);
        var posted = await http.PostTestAsync(ReporterClient.Test(runId, projectId, "Auth > Login > shows form"));
        var testId = posted.GetProperty("testId").GetString()!;

        var stats = await http.PatchAsJsonAsync($"/api/runs/{runId}", new { totalTests = 142, passedTests = 138, failedTests = 3, skippedTests = 0, flakyTests = 1, duration = 245000 });
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        var patched = await stats.JsonAsync();
        Assert.Equal("running", patched.GetProperty("status").GetString());
        Assert.Equal(142, patched.GetProperty("totalTests").GetInt32());
        Assert.Equal(245000, patched.GetProperty("duration").GetInt64());
        foreach (var name in new[] { "id", "status", "totalTests", "passedTests", "failedTests", "skippedTests", "flakyTests", "duration", "updatedAt" })
            Assert.True(patched.TryGetProperty(name, out _), name);

        var closed = await http.CloseRunAsync(runId, "failed");
        Assert.Equal("failed", closed.GetProperty("status").GetString());
        // Later calls change nothing: no second scoring, no status change, no more results.
        Assert.Equal("failed", (await http.CloseRunAsync(runId, "passed")).GetProperty("status").GetString());
        var late = await http.PostAsJsonAsync("/api/tests", ReporterClient.Test(runId, projectId, "Auth > Login > late"));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        await _seismo.DrainAsync();

        var history = await Eventually.ReadAsync(() => http.HistoryAsync(testId), h => h.GetProperty("total").GetInt32() >= 1);
        Assert.Equal(1, history.GetProperty("total").GetInt32());
        var detail = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        Assert.Equal("failed", detail.GetProperty("status").GetString());
        Assert.Equal(97.18, detail.GetProperty("passRate").GetDouble());
        var test = await http.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}");
        Assert.Equal(1, test.GetProperty("totalRuns").GetInt64());

        // The run is in the log now: one run in the project, with status failed.
        var list = await http.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={projectId}");
        Assert.Equal(1, list.GetProperty("total").GetInt64());
        Assert.Equal("failed", list.GetProperty("data")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_cancelled_run_stays_out_of_test_history()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("runs-cancel");
        var http = _seismo.ClientWithKey(key);
        var first = await http.OpenRunAsync(projectId);
        var testId = (await http.PostTestAsync(ReporterClient.Test(first, projectId, "Cart > adds item"))).GetProperty("testId").GetString()!;
        await http.CloseRunAsync(first, "passed");
        var second = await http.OpenRunAsync(projectId);
        await http.PostTestAsync(ReporterClient.Test(second, projectId, "Cart > adds item", "failed"));
        Assert.Equal("cancelled", (await http.CloseRunAsync(second, "cancelled")).GetProperty("status").GetString());
        Assert.Equal("cancelled", (await http.CloseRunAsync(second, "failed")).GetProperty("status").GetString());
        await _seismo.DrainAsync();

        var history = await Eventually.ReadAsync(() => http.HistoryAsync(testId), h => h.GetProperty("total").GetInt32() >= 1);
        Assert.Equal(1, history.GetProperty("total").GetInt32());
        Assert.Equal(first, history.GetProperty("data")[0].GetProperty("runId").GetString());
        var cancelled = await http.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={projectId}&status=cancelled");
        Assert.Equal(second, cancelled.GetProperty("data")[0].GetProperty("id").GetString());
        // Its results are still readable as the run's.
        var results = await http.GetFromJsonAsync<JsonElement>($"/api/tests?runId={second}");
        Assert.Equal("failed", results.GetProperty("data")[0].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"status":"running"}""", "projectId", "required")]
    [InlineData("""{"projectId":"P","status":"done"}""", "status", "invalid_value")]
    [InlineData("""{"projectId":"P"}""", "status", "required")]
    [InlineData("""{"projectId":"P","status":"running","workers":"four"}""", "workers", "invalid_type")]
    [InlineData("""{"projectId":"P","status":"running","tags":"smoke"}""", "tags", "invalid_type")]
    [InlineData("""{"projectId":"not-a-uuid","status":"running"}""", "projectId", "invalid_format")]
    public async Task Bad_run_bodies_are_400s_naming_the_field(string body, string field, string reason)
    {
        var projectId = await _seismo.DefaultProjectAsync();
        var response = await _seismo.Admin().PostAsync("/api/runs",
            new StringContent(body.Replace("\"P\"", $"\"{projectId}\""), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.JsonAsync();
        Assert.Equal("VALIDATION_ERROR", error.ErrorCode());
        Assert.Equal(field, error.ErrorField());
        Assert.Equal(reason, error.GetProperty("error").GetProperty("details").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Viewers_and_other_tenants_cannot_write_runs()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("runs-perm");
        var (_, otherKey) = await _seismo.CreateProjectAsync("runs-perm-other");
        var viewerKey = (await (await _seismo.Admin().PostAsJsonAsync("/api/api-keys", new { projectId, name = "viewer", role = "viewer" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        var runId = await _seismo.ClientWithKey(key).OpenRunAsync(projectId);

        var viewer = _seismo.ClientWithKey(viewerKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/runs", new { projectId, status = "running" })).StatusCode);
        var other = _seismo.ClientWithKey(otherKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/runs", new { projectId, status = "running" })).StatusCode);
        // Another project's run is not found for reading, and so for patching.
        Assert.Equal(HttpStatusCode.NotFound, (await other.PatchAsJsonAsync($"/api/runs/{runId}", new { status = "passed" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/runs/{runId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _seismo.CreateClient().PostAsJsonAsync("/api/runs", new { projectId, status = "running" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _seismo.Admin().PatchAsJsonAsync($"/api/runs/{Guid.NewGuid()}", new { status = "passed" })).StatusCode);
    }
}
