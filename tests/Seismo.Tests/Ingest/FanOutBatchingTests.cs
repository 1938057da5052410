using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Ingest;

/// <summary>Runs accepted while a project's fan-out lane lingers go out together; each test still applies them in order.</summary>
public sealed class FanOutBatchingTests
{
    [Fact]
    public async Task Runs_sent_together_reach_every_test_once_and_in_sequence_order()
    {
        await using var seismo = new SeismoFactory(settings: new Dictionary<string, string> { ["Seismo:FanOutLinger"] = "00:00:00.300" });
        var (project, key) = await seismo.CreateProjectAsync("batched");
        var agent = seismo.ClientWithKey(key);
        string[] outcomes = ["passed", "failed", "passed", "failed", "failed", "passed", "passed", "failed"];

        // The first run finds the lane idle; the rest arrive while it lingers and are sent as one batch.
        var archives = await Task.WhenAll(outcomes.Select((o, i) =>
            SyntheticReports.ArchiveAsync([new("com.acme.Batch", "ordered", o), new("com.acme.Batch", $"only-in-run-{i}")])));
        var posted = await Task.WhenAll(archives.Select(async a => (await (await agent.PostArchiveAsync(a)).JsonAsync()).GetProperty("observation_id").GetString()!));
        await seismo.DrainAsync();
        foreach (var id in posted) await agent.WaitProcessedAsync(id);

        var runs = await agent.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={project}&limit=100");
        var runOrderNewestFirst = runs.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(outcomes.Length, runOrderNewestFirst.Length);

        var testId = (await agent.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={project}&search=ordered"))
            .GetProperty("data")[0].GetProperty("testId").GetString()!;
        var test = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}");
        Assert.Equal(outcomes.Length, test.GetProperty("totalRuns").GetInt64());
        Assert.Equal(outcomes.Count(o => o == "failed"), test.GetProperty("failedRuns").GetInt64());

        // History is newest first and must follow the project's run sequence exactly, whatever order the posts took.
        var history = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}/history");
        Assert.Equal(runOrderNewestFirst, history.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("runId").GetString()!));

        var catalogue = await agent.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={project}&limit=100");
        Assert.Equal(outcomes.Length + 1, catalogue.GetProperty("total").GetInt32());
    }
}
