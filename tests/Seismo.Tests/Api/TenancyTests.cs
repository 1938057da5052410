using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Api;

public sealed class TenancyTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    [Fact]
    public async Task A_key_of_project_A_can_neither_read_nor_write_project_B()
    {
        var (a, keyA) = await _seismo.CreateProjectAsync("tenant-a");
        var (b, keyB) = await _seismo.CreateProjectAsync("tenant-b");
        var archive = await SyntheticReports.ArchiveAsync([new("x.Y", "z")]);
        var inB = await (await _seismo.ClientWithKey(keyB).PostArchiveAsync(archive)).JsonAsync();
        var runInB = inB.GetProperty("observation_id").GetString()!;
        await _seismo.ClientWithKey(keyB).WaitProcessedAsync(runInB);
        var testInB = (await _seismo.ClientWithKey(keyB).GetFromJsonAsync<JsonElement>($"/api/tests?runId={runInB}")).GetProperty("data")[0];

        var clientA = _seismo.ClientWithKey(keyA);
        foreach (var path in new[]
        {
            $"/api/projects/{b}", $"/api/runs?projectId={b}", $"/api/runs/{runInB}", $"/api/runs/{runInB}/output",
            $"/api/tests?projectId={b}", $"/api/tests?runId={runInB}", $"/api/observations/{runInB}",
            $"/api/tests/{testInB.GetProperty("testId").GetString()}", $"/api/tests/{testInB.GetProperty("id").GetString()}",
            $"/api/tests/{testInB.GetProperty("testId").GetString()}/history",
        })
        {
            var response = await clientA.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {response.StatusCode}");
            Assert.Equal("NOT_FOUND", (await response.JsonAsync()).ErrorCode());
        }

        var write = await clientA.PostArchiveAsync(archive, b);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("FORBIDDEN", (await write.JsonAsync()).ErrorCode());

        var projects = await clientA.GetFromJsonAsync<JsonElement>("/api/projects");
        Assert.Equal([a], projects.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList());
        Assert.Equal(HttpStatusCode.OK, (await clientA.GetAsync($"/api/runs?projectId={a}")).StatusCode);
    }

    [Fact]
    public async Task Project_keys_cannot_manage_keys_or_create_projects()
    {
        var (_, key) = await _seismo.CreateProjectAsync("tenant-dev");
        var client = _seismo.ClientWithKey(key);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/projects", new { name = "nope" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/api-keys")).StatusCode);
    }
}
