using System.Net.Http.Json;
using System.Text.Json;

namespace Seismo.Tests.Pipelines;

public sealed record JobSpec(string Name, string Status, double? Duration = null, DateTimeOffset? Started = null, string? JobId = null);

/// <summary>Builds and posts RunWatch reports.</summary>
public static class RunWatchClient
{
    public static Dictionary<string, object?> Report(string repository, long runId, string status, DateTimeOffset started, double? duration = null,
        int attempt = 1, string pipeline = "CI", string? branch = "main", string provider = "github", IEnumerable<JobSpec>? jobs = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["provider"] = provider, ["repository"] = repository, ["pipeline_name"] = pipeline, ["run_id"] = runId, ["run_attempt"] = attempt,
            ["status"] = status, ["started_at"] = started.ToString("O"), ["triggered_by"] = "push", ["actor"] = "octocat",
            ["run_url"] = $"https://github.com/{repository}/actions/runs/{runId}",
            ["jobs"] = (jobs ?? []).Select(j => new Dictionary<string, object?>
            {
                ["name"] = j.Name, ["status"] = j.Status, ["duration_seconds"] = j.Duration, ["job_id"] = j.JobId,
                ["started_at"] = (j.Started ?? started).ToString("O"),
                ["completed_at"] = j.Duration is { } jd ? (j.Started ?? started).AddSeconds(jd).ToString("O") : null,
            }).ToList(),
        };
        if (branch is not null) body["branch"] = branch;
        if (duration is { } d)
        {
            body["duration_seconds"] = d;
            body["completed_at"] = started.AddSeconds(d).ToString("O");
        }
        return body;
    }

    public static async Task<Guid> PostRunAsync(this HttpClient http, Dictionary<string, object?> report, string path = "/api/ingest")
    {
        var response = await http.PostAsJsonAsync(path, report);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        Assert.True(json.GetProperty("success").GetBoolean());
        return json.GetProperty("pipeline_run_id").GetGuid();
    }

    public static HttpClient WithApiKey(this HttpClient http, string key)
    {
        http.DefaultRequestHeaders.Add("X-API-Key", key);
        return http;
    }
}
