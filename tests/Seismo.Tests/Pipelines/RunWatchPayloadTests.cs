using System.Text.Json;
using Seismo.Domain.Pipelines;

namespace Seismo.Tests.Pipelines;

public sealed class RunWatchPayloadTests
{
    internal const string Example = """
        {"provider":"github","repository":"acme/cool-project","pipeline_name":"CI Pipeline","run_id":789012345,"run_attempt":1,
         "run_name":"Fix login bug","run_url":"https://github.com/acme/cool-project/actions/runs/789012345","status":"success","mode":"inline",
         "compute_seconds":245,"duration_seconds":312,"started_at":"2024-01-15T10:30:00Z","completed_at":"2024-01-15T10:35:12Z",
         "triggered_by":"push","actor":"octocat","branch":"main",
         "jobs":[{"name":"build","job_id":"456789","status":"success","duration_seconds":120,"started_at":"2024-01-15T10:30:05Z","completed_at":"2024-01-15T10:32:05Z"},
                 {"name":"test","status":"failure","started_at":"2024-01-15T10:32:10Z","completed_at":"2024-01-15T10:34:15Z"}]}
        """;

    private static RunWatchReport Parse(string json) => RunWatchPayload.Parse(JsonDocument.Parse(json).RootElement);

    private static string With(string field, string? value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Example)!.AsObject();
        if (value is null) node.Remove(field); else node[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        return node.ToJsonString();
    }

    [Fact]
    public void The_contract_example_is_read_whole()
    {
        var r = Parse(Example);
        Assert.Equal(("github", "acme/cool-project", "CI Pipeline", 789012345L, 1), (r.Provider, r.Repository, r.PipelineName, r.RunId, r.RunAttempt));
        Assert.Equal(312, r.DurationSeconds);
        Assert.Equal(2, r.Jobs.Count);
        Assert.Equal(125, r.Jobs[1].DurationSeconds); // from its timestamps
        Assert.Equal("456789", r.Jobs[0].JobId);
    }

    [Theory]
    [InlineData("provider", null, "provider")]
    [InlineData("provider", "\"jenkins\"", "provider")]
    [InlineData("repository", "\"no-slash\"", "repository")]
    [InlineData("pipeline_name", "\"\"", "pipeline_name")]
    [InlineData("run_id", "\"abc\"", "run_id")]
    [InlineData("run_id", "1.5", "run_id")]
    [InlineData("run_attempt", "0", "run_attempt")]
    [InlineData("status", "\"done\"", "status")]
    [InlineData("mode", "\"batch\"", "mode")]
    [InlineData("started_at", "\"yesterday\"", "started_at")]
    [InlineData("completed_at", "\"2024-01-15T10:00:00Z\"", "completed_at")]
    [InlineData("triggered_by", null, "triggered_by")]
    [InlineData("actor", "42", "actor")]
    [InlineData("duration_seconds", "-1", "duration_seconds")]
    [InlineData("run_url", "\"javascript:alert(1)\"", "run_url")]
    [InlineData("jobs", "{}", "jobs")]
    [InlineData("jobs", "[{\"name\":\"a\"}]", "jobs[0].status")]
    [InlineData("jobs", "[{\"status\":\"success\"}]", "jobs[0].name")]
    [InlineData("jobs", "[{\"name\":\"a\",\"status\":\"nope\"}]", "jobs[0].status")]
    [InlineData("jobs", "[{\"name\":\"a\",\"status\":\"success\"},{\"name\":\"a\",\"status\":\"success\"}]", "jobs[1].name")]
    public void A_bad_field_is_named(string field, string? value, string named)
    {
        var e = Assert.Throws<RunWatchPayloadException>(() => Parse(With(field, value)));
        Assert.Equal(named, e.Field);
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void Quoted_run_ids_and_missing_jobs_are_accepted()
    {
        var r = Parse(With("run_id", "\"123\"").Replace("\"jobs\"", "\"unused\""));
        Assert.Equal(123, r.RunId);
        Assert.Empty(r.Jobs);
    }
}
