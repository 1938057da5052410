using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>POST /api/tests and GET /api/tests/{id}/steps over HTTP, and one test identity across /collect and the reporter.</summary>
public sealed class ReportedTestsApiTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private static readonly object[] Steps =
    [
        new { title = "Before Hooks", category = "hook", status = "passed", duration = 120, error = (object?)null,
            steps = new object[] { new { title = "fixture: page", category = "fixture", status = "passed", duration = 80 } } },
        new { title = "page.goto('/login')", category = "action", status = "passed", duration = 820, error = (object?)null },
        new { title = "expect(locator).toBeVisible()", category = "assertion", status = "failed", duration = 30000,
            error = new { message = "Timed out waiting for selector '.dashboard'" } },
    ];

    [Fact]
    public async Task A_posted_test_keeps_every_field_and_its_nested_steps()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("tests-fields");
        var http = _seismo.ClientWithKey(key);
        var runId = await http.OpenRunAsync(projectId);
        var body = new
        {
            runId, projectId, title = "should submit login form", fullTitle = "Auth > Login Page > should submit login form",
            filePath = "tests/auth/login.spec.ts", lineNumber = 35, status = "failed", duration = 8320, retries = 2, attempt = 3, isFlaky = false,
            tags = new[] { "@smoke", "@auth" }, annotations = new[] { new { type = "slow", description = "Includes network wait" } },
            error = new { message = "Timed out waiting for selector '.dashboard'", stack = "Error: Timed out\n at login.spec.ts:42:5", expected = "visible", actual = "hidden" },
            steps = Steps, stdout = "log line\n", stderr = "warn\n",
        };
        var response = await http.PostAsJsonAsync("/api/tests", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        Assert.Equal(runId, created.GetProperty("runId").GetString());
        Assert.Equal(projectId.ToString(), created.GetProperty("projectId").GetString());
        Assert.Equal("should submit login form", created.GetProperty("title").GetString());
        Assert.Equal("Auth > Login Page > should submit login form", created.GetProperty("fullTitle").GetString());
        Assert.Equal("failed", created.GetProperty("status").GetString());
        Assert.Equal(8320, created.GetProperty("duration").GetDouble());
        Assert.False(created.GetProperty("isFlaky").GetBoolean());
        Assert.True(created.TryGetProperty("createdAt", out _));
        var id = created.GetProperty("id").GetString()!;

        var steps = (await http.GetFromJsonAsync<JsonElement>($"/api/tests/{id}/steps")).GetProperty("data");
        Assert.Equal(3, steps.GetArrayLength());
        Assert.Equal("hook", steps[0].GetProperty("category").GetString());
        Assert.Equal("fixture", steps[0].GetProperty("steps")[0].GetProperty("category").GetString());
        Assert.Equal(JsonValueKind.Null, steps[1].GetProperty("error").ValueKind);
        Assert.Equal("Timed out waiting for selector '.dashboard'", steps[2].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(30000, steps[2].GetProperty("duration").GetDouble());

        var detail = await http.GetFromJsonAsync<JsonElement>($"/api/tests/{id}");
        Assert.Equal(35, detail.GetProperty("lineNumber").GetInt32());
        Assert.Equal(2, detail.GetProperty("retries").GetInt32());
        Assert.Equal(3, detail.GetProperty("attempt").GetInt32());
        Assert.Equal("tests/auth/login.spec.ts", detail.GetProperty("filePath").GetString());
        Assert.Equal("Timed out waiting for selector '.dashboard'", detail.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("visible", detail.GetProperty("error").GetProperty("expected").GetString());
        Assert.Equal("hidden", detail.GetProperty("error").GetProperty("actual").GetString());
        Assert.Equal("Error: Timed out\n at login.spec.ts:42:5", detail.GetProperty("error").GetProperty("stack").GetString());
        Assert.Equal(["@smoke", "@auth"], detail.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
        Assert.Equal("Includes network wait", detail.GetProperty("annotations")[0].GetProperty("description").GetString());
        Assert.Equal("log line\n", detail.GetProperty("stdout").GetString());
        Assert.Equal("warn\n", detail.GetProperty("stderr").GetString());
    }

    [Fact]
    public async Task The_same_test_through_collect_and_the_reporter_is_one_test_with_both_results()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("tests-identity");
        var http = _seismo.ClientWithKey(key);
        // Playwright's JUnit reporter: the classname is the spec file, the name the title path.
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = "sha1", ["GITHUB_REF"] = "refs/heads/main" };
        var archive = await SyntheticReports.ArchiveAsync([new SyntheticCase("tests/auth/login.spec.ts", "Auth › Login Page › shows the form")], env: env);
        var collected = await http.PostArchiveAsync(archive);
        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);
        await http.WaitProcessedAsync((await collected.JsonAsync()).GetProperty("observation_id").GetString()!);

        var runId = await http.OpenRunAsync(projectId, sha: "sha2");
        var posted = await http.PostTestAsync(ReporterClient.Test(runId, projectId, "login.spec.ts > Auth > Login Page > shows the form", "failed"));
        await http.CloseRunAsync(runId, "failed");
        await _seismo.DrainAsync();

        var testId = posted.GetProperty("testId").GetString()!;
        var catalog = await http.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={projectId}");
        Assert.Equal(1, catalog.GetProperty("total").GetInt64());
        Assert.Equal(testId, catalog.GetProperty("data")[0].GetProperty("testId").GetString());
        var history = await Eventually.ReadAsync(() => http.HistoryAsync(testId), h => h.GetProperty("total").GetInt32() >= 2);
        Assert.Equal(2, history.GetProperty("total").GetInt32());
        Assert.Equal(new string?[] { "failed", "passed" }, history.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("status").GetString()).ToArray());
    }

    [Fact]
    public async Task A_test_posted_once_per_attempt_is_one_flaky_result()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("tests-attempts");
        var http = _seismo.ClientWithKey(key);
        var runId = await http.OpenRunAsync(projectId);
        var first = await http.PostTestAsync(ReporterClient.Test(runId, projectId, "Retry > eventually passes", "failed", attempt: 1));
        var second = await http.PostTestAsync(ReporterClient.Test(runId, projectId, "Retry > eventually passes", "passed", attempt: 2));
        Assert.Equal(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
        Assert.Equal("flaky", second.GetProperty("status").GetString());
        Assert.True(second.GetProperty("isFlaky").GetBoolean());
        var results = await http.GetFromJsonAsync<JsonElement>($"/api/tests?runId={runId}");
        Assert.Equal(1, results.GetProperty("total").GetInt64());
        Assert.Equal("flaky", results.GetProperty("data")[0].GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("title", null, "required")]
    [InlineData("fullTitle", null, "required")]
    [InlineData("status", "\"broken\"", "invalid_value")]
    [InlineData("duration", "\"fast\"", "invalid_type")]
    [InlineData("duration", null, "required")]
    [InlineData("lineNumber", "-1", "out_of_range")]
    [InlineData("error", "\"boom\"", "invalid_type")]
    [InlineData("annotations", "[1]", "invalid_type")]
    [InlineData("steps[1].category", """[{"title":"a","category":"hook"},{"title":"b","category":"other"}]""", "invalid_value")]
    [InlineData("steps[0].steps[0].title", """[{"title":"a","steps":[{"category":"action"}]}]""", "required")]
    public async Task Bad_test_bodies_are_400s_naming_the_field(string field, string? value, string reason)
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("tests-bad-" + Guid.NewGuid().ToString("N")[..6]);
        var http = _seismo.ClientWithKey(key);
        var runId = await http.OpenRunAsync(projectId);
        var body = JsonSerializer.SerializeToNode(ReporterClient.Test(runId, projectId, "A > b"))!.AsObject();
        var property = field.StartsWith("steps", StringComparison.Ordinal) ? "steps" : field;
        body.Remove(property);
        if (value is not null) body[property] = System.Text.Json.Nodes.JsonNode.Parse(value);
        var response = await http.PostAsync("/api/tests", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.JsonAsync();
        Assert.Equal(field, error.ErrorField());
        Assert.Equal(reason, error.GetProperty("error").GetProperty("details").GetProperty("reason").GetString());
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>($"/api/tests?runId={runId}")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Tests_go_only_to_open_runs_of_the_callers_project()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("tests-tenant");
        var (otherProject, otherKey) = await _seismo.CreateProjectAsync("tests-tenant-other");
        var http = _seismo.ClientWithKey(key);
        var runId = await http.OpenRunAsync(projectId);
        var other = _seismo.ClientWithKey(otherKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/tests", ReporterClient.Test(runId, projectId, "A > b"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync("/api/tests", ReporterClient.Test(runId, otherProject, "A > b"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/api/tests", ReporterClient.Test(Guid.NewGuid().ToString(), projectId, "A > b"))).StatusCode);
        var id = (await http.PostTestAsync(ReporterClient.Test(runId, projectId, "A > b"))).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/tests/{id}/steps")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/tests/r_nonsense/steps")).StatusCode);
    }
}
