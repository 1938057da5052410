using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>POST and GET /api/test-suites: upsert by title + filePath within a run, listed as a tree.</summary>
public sealed class TestSuitesApiTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    [Fact]
    public async Task Suites_upsert_within_a_run_and_list_as_a_tree()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("suites");
        var http = _seismo.ClientWithKey(key);
        var runId = await http.OpenRunAsync(projectId);
        var root = await http.PostAsJsonAsync("/api/test-suites", new { runId, projectId, title = "Auth", filePath = "tests/auth/login.spec.ts" });
        Assert.Equal(HttpStatusCode.Created, root.StatusCode);
        var rootId = (await root.JsonAsync()).GetProperty("id").GetString()!;
        var child = await (await http.PostAsJsonAsync("/api/test-suites",
            new { runId, projectId, title = "Login Page", filePath = "tests/auth/login.spec.ts", parentSuiteId = rootId })).JsonAsync();
        Assert.Equal(rootId, child.GetProperty("parentSuiteId").GetString());
        foreach (var name in new[] { "id", "runId", "projectId", "title", "filePath", "parentSuiteId", "createdAt" })
            Assert.True(child.TryGetProperty(name, out _), name);

        var again = await http.PostAsJsonAsync("/api/test-suites", new { runId, projectId, title = "Auth", filePath = "tests/auth/login.spec.ts" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(rootId, (await again.JsonAsync()).GetProperty("id").GetString());
        // The same title in another file is another suite.
        await http.PostAsJsonAsync("/api/test-suites", new { runId, projectId, title = "Auth", filePath = "tests/auth/signup.spec.ts" });

        var tree = (await http.GetFromJsonAsync<JsonElement>($"/api/test-suites?runId={runId}&projectId={projectId}")).GetProperty("data");
        Assert.Equal(2, tree.GetArrayLength());
        Assert.Equal(JsonValueKind.Null, tree[0].GetProperty("parentSuiteId").ValueKind);
        Assert.Equal("Login Page", tree[0].GetProperty("children")[0].GetProperty("title").GetString());
        Assert.Equal(0, tree[0].GetProperty("children")[0].GetProperty("children").GetArrayLength());
        Assert.Equal(0, tree[1].GetProperty("children").GetArrayLength());

        // The root cannot move under its own child.
        var cycle = await http.PostAsJsonAsync("/api/test-suites",
            new { runId, projectId, title = "Auth", filePath = "tests/auth/login.spec.ts", parentSuiteId = child.GetProperty("id").GetString() });
        Assert.Equal(HttpStatusCode.BadRequest, cycle.StatusCode);
        Assert.Equal("parentSuiteId", (await cycle.JsonAsync()).ErrorField());
        var unknownParent = await http.PostAsJsonAsync("/api/test-suites", new { runId, projectId, title = "X", parentSuiteId = "suite_nope" });
        Assert.Equal("parentSuiteId", (await unknownParent.JsonAsync()).ErrorField());
    }

    [Fact]
    public async Task Suites_are_checked_against_the_callers_project()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("suites-tenant");
        var (otherProject, otherKey) = await _seismo.CreateProjectAsync("suites-tenant-other");
        var runId = await _seismo.ClientWithKey(key).OpenRunAsync(projectId);
        var other = _seismo.ClientWithKey(otherKey);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/test-suites?runId={runId}&projectId={projectId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/test-suites?runId={runId}&projectId={otherProject}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync("/api/test-suites", new { runId, projectId = otherProject, title = "A" })).StatusCode);
        var missing = await _seismo.ClientWithKey(key).GetAsync($"/api/test-suites?projectId={projectId}");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("runId", (await missing.JsonAsync()).ErrorField());
    }
}
