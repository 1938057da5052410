using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Grains.Storage;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>PATCH and DELETE /api/projects/{id}: fields, permissions, and deletion of everything the project holds.</summary>
public sealed class ProjectAdminApiTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    [Fact]
    public async Task A_project_is_renamed_by_a_manager_only()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("rename-me");
        var admin = _seismo.Admin();
        var response = await admin.PatchAsJsonAsync($"/api/projects/{projectId}", new { name = "Web App E2E (Production)" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(["id", "name", "teamId", "updatedAt"], body.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("Web App E2E (Production)", body.GetProperty("name").GetString());
        Assert.Equal("Web App E2E (Production)", (await admin.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}")).GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await _seismo.ClientWithKey(key).PatchAsJsonAsync($"/api/projects/{projectId}", new { name = "x" })).StatusCode);
        var empty = await admin.PatchAsJsonAsync($"/api/projects/{projectId}", new { name = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("name", (await empty.JsonAsync()).ErrorField());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsJsonAsync($"/api/projects/{Guid.NewGuid()}", new { name = "x" })).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_project_deletes_its_runs_tests_artifacts_and_keys()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("delete-project");
        var (keptId, keptKey) = await _seismo.CreateProjectAsync("delete-project-kept");
        var http = _seismo.ClientWithKey(key);
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = "s1", ["GITHUB_REF"] = "refs/heads/main" };
        var collected = await (await http.PostArchiveAsync(await SyntheticReports.ArchiveAsync([new SyntheticCase("com.acme.A", "one")], env: env))).JsonAsync();
        var observation = collected.GetProperty("observation_id").GetString()!;
        await http.WaitProcessedAsync(observation);
        var runStore = _seismo.Services.GetRequiredService<IRunStore>();
        var collectedGuid = Guid.Parse(observation.Split('_')[^1]);
        Assert.NotNull(await runStore.ReadArchiveAsync(collectedGuid));
        var runId = await http.OpenRunAsync(projectId);
        var testId = (await http.PostTestAsync(ReporterClient.Test(runId, projectId, "A > two"))).GetProperty("testId").GetString()!;
        await http.CloseRunAsync(runId, "passed");
        var open = await http.OpenRunAsync(projectId);
        await _seismo.DrainAsync();

        var admin = _seismo.Admin();
        Assert.Equal(HttpStatusCode.Forbidden, (await http.DeleteAsync($"/api/projects/{projectId}")).StatusCode);
        var deleted = await admin.DeleteAsync($"/api/projects/{projectId}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("Project deleted successfully", (await deleted.JsonAsync()).GetProperty("message").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/projects/{projectId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/runs/{runId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/runs/{open}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/tests/{testId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"/api/runs?projectId={projectId}")).StatusCode);
        var projects = await admin.GetFromJsonAsync<JsonElement>("/api/projects");
        Assert.DoesNotContain(projects.GetProperty("data").EnumerateArray(), p => p.GetProperty("id").GetGuid() == projectId);
        Assert.False(Directory.Exists(Path.Combine(_seismo.DataDir, "archives", projectId.ToString("N"))));
        Assert.Null(await runStore.ReadArchiveAsync(collectedGuid));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/projects/{projectId}")).StatusCode);

        // Another project of the account is untouched.
        Assert.Equal(HttpStatusCode.OK, (await _seismo.ClientWithKey(keptKey).GetAsync($"/api/runs?projectId={keptId}")).StatusCode);
    }
}
