using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>What a Playwright-style reporter sends: open a run, post each test, close the run.</summary>
public static class ReporterClient
{
    public static async Task<string> OpenRunAsync(this HttpClient http, Guid projectId, string branch = "main", string sha = "a1b2c3")
    {
        var response = await http.PostAsJsonAsync("/api/runs", new { projectId, status = "running", branch, commitSha = sha });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    public static object Test(string runId, Guid projectId, string fullTitle, string status = "passed", int attempt = 1, object? steps = null) => new
    {
        runId, projectId, title = fullTitle.Split(" > ")[^1], fullTitle, filePath = "tests/auth/login.spec.ts", lineNumber = 15, status,
        duration = 120.5, retries = attempt - 1, attempt, isFlaky = status == "flaky", tags = new[] { "@smoke" },
        steps = steps ?? Array.Empty<object>(),
    };

    public static async Task<JsonElement> PostTestAsync(this HttpClient http, object test)
    {
        var response = await http.PostAsJsonAsync("/api/tests", test);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.JsonAsync();
    }

    public static async Task<JsonElement> CloseRunAsync(this HttpClient http, string runId, string status)
    {
        var response = await http.PatchAsJsonAsync($"/api/runs/{runId}", new { status });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.JsonAsync();
    }

    public static async Task<JsonElement> HistoryAsync(this HttpClient http, string testId) =>
        await http.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}/history");

}
