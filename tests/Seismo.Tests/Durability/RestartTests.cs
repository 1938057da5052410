using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Durability;

public sealed class RestartTests
{
    [Fact]
    public async Task Runs_tests_history_and_keys_survive_a_restart_on_the_same_data_dir()
    {
        var dataDir = TempDir.Create("seismo-restart");
        Guid project;
        string key, testId;
        var observations = new List<string>();
        await using (var first = new SeismoFactory(dataDir))
        {
            (project, key) = await first.CreateProjectAsync("restart");
            var agent = first.ClientWithKey(key);
            foreach (var outcome in new[] { "passed", "failed", "passed" })
            {
                var archive = await SyntheticReports.ArchiveAsync([new("com.acme.R", "survives", outcome), new("com.acme.R", "other")]);
                var id = (await (await agent.PostArchiveAsync(archive)).JsonAsync()).GetProperty("observation_id").GetString()!;
                observations.Add(id);
                await agent.WaitProcessedAsync(id);
            }
            testId = (await agent.GetFromJsonAsync<JsonElement>($"/api/tests?runId={observations[0]}&search=survives")).GetProperty("data")[0].GetProperty("testId").GetString()!;
        }

        await using var second = new SeismoFactory(dataDir);
        var client = second.ClientWithKey(key);
        var runs = await client.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={project}");
        Assert.Equal(3, runs.GetProperty("total").GetInt32());
        Assert.Equal(observations.AsEnumerable().Reverse(), runs.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        var test = await client.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}");
        Assert.Equal(3, test.GetProperty("totalRuns").GetInt64());
        Assert.Equal(1, test.GetProperty("failedRuns").GetInt64());
        var history = await client.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}/history");
        Assert.Equal(["passed", "failed", "passed"], history.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("status").GetString()));

        var catalogue = await client.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={project}");
        Assert.Equal(2, catalogue.GetProperty("total").GetInt32());
        Assert.Equal("processed", (await client.GetFromJsonAsync<JsonElement>($"/api/observations/{observations[2]}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await second.Admin().GetAsync($"/api/api-keys?projectId={project}")).StatusCode);
    }

    [Fact]
    public async Task Quarantine_decisions_settings_and_flakiness_survive_a_restart()
    {
        var dataDir = TempDir.Create("seismo-restart-quarantine");
        Guid project;
        string key, testId;
        JsonElement before;
        await using (var first = new SeismoFactory(dataDir))
        {
            (project, key) = await first.CreateProjectAsync("restart-quarantine");
            var agent = first.ClientWithKey(key);
            await first.Admin().PatchAsJsonAsync($"/api/projects/{project}/settings", new { dataRetentionDays = 30, autoQuarantineEnabled = false });
            foreach (var outcome in new[] { "passed", "passed", "passed" })
            {
                var archive = await SyntheticReports.ArchiveAsync([new("com.acme.Q", "held", outcome, Reruns: 1), new("com.acme.Q", "other")]);
                await agent.WaitProcessedAsync((await (await agent.PostArchiveAsync(archive)).JsonAsync()).GetProperty("observation_id").GetString()!);
            }
            var list = await agent.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={project}");
            testId = list.GetProperty("data").EnumerateArray().Single(r => r.GetProperty("testTitle").GetString() == "held").GetProperty("testId").GetString()!;
            var decision = await agent.PostAsJsonAsync("/api/flakiness", new { testId, projectId = project, isQuarantined = true });
            Assert.Equal(HttpStatusCode.OK, decision.StatusCode);
            before = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}");
        }

        await using var second = new SeismoFactory(dataDir);
        var client = second.ClientWithKey(key);
        var test = await client.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}");
        Assert.True(test.GetProperty("isQuarantined").GetBoolean());
        Assert.Equal(before.GetProperty("quarantine").GetProperty("decidedBy").GetString(), test.GetProperty("quarantine").GetProperty("decidedBy").GetString());
        Assert.Equal(before.GetProperty("label").GetString(), test.GetProperty("label").GetString());
        Assert.Equal(before.GetProperty("flakinessScore").GetDouble(), test.GetProperty("flakinessScore").GetDouble());
        var flakiness = await client.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={project}&quarantined=true");
        var row = Assert.Single(flakiness.GetProperty("data").EnumerateArray());
        Assert.Equal(testId, row.GetProperty("testId").GetString());
        Assert.Equal(3, row.GetProperty("flakyRuns").GetInt32());
        var settings = await client.GetFromJsonAsync<JsonElement>($"/api/projects/{project}/settings");
        Assert.Equal(30, settings.GetProperty("dataRetentionDays").GetInt32());
        Assert.False(settings.GetProperty("autoQuarantineEnabled").GetBoolean());
    }
}
