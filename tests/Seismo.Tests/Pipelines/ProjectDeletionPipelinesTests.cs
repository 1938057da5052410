using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Pipelines;

/// <summary>Deleting a project releases its repositories: the old slug stops answering and the next report starts afresh.</summary>
public sealed class ProjectDeletionPipelinesTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    [Fact]
    public async Task A_repository_of_a_deleted_project_maps_to_a_fresh_project_on_its_next_report()
    {
        var admin = _seismo.Admin();
        var client = _seismo.CreateClient().WithApiKey(SeismoFactory.AdminKey);
        var started = DateTimeOffset.UtcNow.AddHours(-1);
        await client.PostRunAsync(RunWatchClient.Report("acme/gone", 41, "failure", started, 60, jobs: [new JobSpec("build", "failure", 50)]));
        await client.PostRunAsync(RunWatchClient.Report("acme/gone", 42, "success", started.AddMinutes(5), 60, jobs: [new JobSpec("build", "success", 50)]));
        var old = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/gone");
        var oldId = old.GetProperty("id").GetGuid();
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/gone/pipeline")).GetProperty("items").GetArrayLength());

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/projects/{oldId}")).StatusCode);

        // The old slug answers nothing any more: not the project, its pipelines, its jobs or its insights.
        foreach (var path in new[] { "/api/v2/project/gh/acme/gone", "/api/v2/project/gh/acme/gone/pipeline", "/api/v2/project/gh/acme/gone/pipeline/1",
                     "/api/v2/project/gh/acme/gone/job/1", "/api/v2/insights/gh/acme/gone/workflows", "/api/v2/insights/gh/acme/gone/flaky-tests" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
        Assert.DoesNotContain("gone", (await client.GetFromJsonAsync<JsonElement>("/api/v2/pipeline?org-slug=gh/acme")).GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/projects/{oldId}")).StatusCode);

        // The next report of the repository creates a fresh project, numbered from 1, with none of the old history.
        await client.PostRunAsync(RunWatchClient.Report("acme/gone", 43, "success", started.AddMinutes(10), 30, jobs: [new JobSpec("build", "success", 20)]));
        var fresh = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/gone");
        var freshId = fresh.GetProperty("id").GetGuid();
        Assert.NotEqual(oldId, freshId);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/projects/{freshId}")).StatusCode);
        var pipelines = await client.GetFromJsonAsync<JsonElement>("/api/v2/project/gh/acme/gone/pipeline");
        var only = Assert.Single(pipelines.GetProperty("items").EnumerateArray());
        Assert.Equal(1, only.GetProperty("number").GetInt64());
        var summary = await client.GetFromJsonAsync<JsonElement>("/api/v2/insights/gh/acme/gone/workflows/CI/summary?reporting-window=last-7-days");
        Assert.Equal((1L, 1.0), (summary.GetProperty("metrics").GetProperty("total_runs").GetInt64(), summary.GetProperty("metrics").GetProperty("success_rate").GetDouble()));
    }
}
