using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Grains;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>
/// Every endpoint group of the Euriqa rate-limit table on its routes: each key gets <see cref="Limit"/> requests per
/// group, then 429 with Retry-After; routes of one group share one bucket, and the bucket is the grain's, not the node's.
/// </summary>
public sealed class RateLimitGroupsTests : IAsyncLifetime
{
    private const int Limit = 4;

    private readonly SeismoFactory _seismo = new(settings: new[] { "RunsRead", "RunsWrite", "TestsRead", "TestsWrite", "Uploads", "ProjectsTeams", "KeysWebhooks" }
        .ToDictionary(g => $"Seismo:RateLimits:{g}", _ => Limit.ToString()));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _seismo.DisposeAsync();

    /// <summary>Makes calls until one is refused: exactly <paramref name="allowed"/> reach their handler, the next is a 429 in the contract's shape.</summary>
    private static async Task ExhaustAsync(int allowed, Func<int, Task<HttpResponseMessage>> call)
    {
        for (var i = 0; i < allowed; i++)
        {
            using var response = await call(i);
            Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound,
                $"call {i + 1}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(Limit.ToString(), response.Headers.GetValues("RateLimit-Limit").Single());
            Assert.Equal((allowed - i - 1).ToString(), response.Headers.GetValues("RateLimit-Remaining").Single());
        }
        using var refused = await call(allowed);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("0", refused.Headers.GetValues("RateLimit-Remaining").Single());
        var body = await refused.JsonAsync();
        Assert.Equal("RATE_LIMITED", body.ErrorCode());
    }

    private async Task<(Guid ProjectId, string Key, Guid KeyId)> ProjectAsync(string name)
    {
        var admin = _seismo.Admin();
        var project = await (await admin.PostAsJsonAsync("/api/projects", new { name })).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var id = project.GetProperty("id").GetGuid();
        var key = await (await admin.PostAsJsonAsync("/api/api-keys", new { projectId = id, name = name + " key" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonElement>();
        return (id, key.GetProperty("key").GetString()!, key.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Runs_tests_and_flakiness_reads_and_writes_are_limited_per_group()
    {
        var (project, key, _) = await ProjectAsync("groups-runs");
        var http = _seismo.ClientWithKey(key);

        // Test runs (write): the run opened here is the first of the key's four.
        var runId = await http.OpenRunAsync(project);
        await ExhaustAsync(Limit - 1, _ => http.PostAsJsonAsync("/api/runs", new { projectId = project, status = "running" }));

        // Test runs (read): the list, one run and its output draw from one bucket.
        await ExhaustAsync(Limit, i => http.GetAsync(i % 2 == 0 ? $"/api/runs?projectId={project}" : $"/api/runs/{runId}"));

        // Tests (write): reported tests; quarantine decisions share the bucket.
        var posted = await http.PostTestAsync(ReporterClient.Test(runId, project, "A > first"));
        var testId = posted.GetProperty("testId").GetString()!;
        await ExhaustAsync(Limit - 1, i => i == 0
            ? http.PostAsJsonAsync("/api/flakiness", new { testId, projectId = project, isQuarantined = true })
            : http.PostAsJsonAsync("/api/tests", ReporterClient.Test(runId, project, $"A > t{i}")));
    }

    [Fact]
    public async Task Artifact_uploads_are_limited()
    {
        var (project, key, _) = await ProjectAsync("groups-uploads");
        var http = _seismo.ClientWithKey(key);
        var runId = await http.OpenRunAsync(project);
        await ExhaustAsync(Limit, i => http.PostAsync("/api/upload", new MultipartFormDataContent
        {
            { new StringContent("trace"), "type" }, { new StringContent(runId), "runId" }, { new StringContent(project.ToString()), "projectId" },
            { new ByteArrayContent([(byte)'P', (byte)'K', 5, 6]), "file", $"trace{i}.zip" },
        }));
    }

    [Fact]
    public async Task Tests_reads_include_the_flakiness_listing_and_steps()
    {
        var (project, key, _) = await ProjectAsync("groups-tests");
        var http = _seismo.ClientWithKey(key);
        var runId = await http.OpenRunAsync(project);
        var result = (await http.PostTestAsync(ReporterClient.Test(runId, project, "A > b"))).GetProperty("id").GetString()!;
        string[] routes = [$"/api/tests?projectId={project}", $"/api/flakiness?projectId={project}", $"/api/tests/{result}/steps", $"/api/tests?runId={runId}"];
        await ExhaustAsync(Limit, i => http.GetAsync(routes[i % routes.Length]));
    }

    [Fact]
    public async Task Projects_teams_keys_and_webhooks_are_limited_per_group()
    {
        var (project, key, _) = await ProjectAsync("groups-projects");
        var http = _seismo.ClientWithKey(key);
        await ExhaustAsync(Limit, i => http.GetAsync(i % 2 == 0 ? "/api/projects" : $"/api/projects/{project}/settings"));

        // A fresh account key (a new team's) so the setup above does not count: keys and webhooks share a bucket.
        var team = await (await _seismo.Admin().PostAsJsonAsync("/api/teams", new { name = "limits team" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonElement>();
        var owner = _seismo.ClientWithKey(team.GetProperty("apiKey").GetString()!);
        var teamProject = (await (await owner.PostAsJsonAsync("/api/projects", new { name = "team project" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await ExhaustAsync(Limit, i => owner.GetAsync(i % 2 == 0 ? "/api/api-keys" : $"/api/webhooks?projectId={teamProject}"));
        // Another group of the same key still has its own bucket.
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/projects")).StatusCode);
    }

    [Fact]
    public async Task The_bucket_is_held_by_a_grain_so_every_api_node_draws_from_it()
    {
        var (project, key, keyId) = await ProjectAsync("groups-nodes");
        // Another node of the cluster takes the key's run reads through the same grain...
        var grains = _seismo.Services.GetRequiredService<IGrainFactory>();
        for (var i = 0; i < Limit; i++)
            Assert.True((await grains.GetGrain<IRateLimitGrain>($"{keyId:N}/RunsRead").TakeAsync(Limit, TimeSpan.FromMinutes(1))).Allowed);
        // ...and this node refuses the next one.
        using var refused = await _seismo.ClientWithKey(key).GetAsync($"/api/runs?projectId={project}");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }
}
