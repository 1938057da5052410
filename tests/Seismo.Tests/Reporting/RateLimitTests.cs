using System.Net;
using System.Net.Http.Json;
using Seismo.Api.Infrastructure;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>Per-key rate limits by endpoint group: 429 with Retry-After past the limit, buckets per key and per group.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly SeismoFactory _seismo = new(settings: new Dictionary<string, string>
    {
        ["Seismo:RateLimits:TestsWrite"] = "3",
        ["Seismo:RateLimits:RunsWrite"] = "0",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _seismo.DisposeAsync();

    [Fact]
    public async Task Past_the_limit_a_key_gets_429_with_Retry_After_and_other_keys_do_not()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("limits");
        var http = _seismo.ClientWithKey(key);
        var runId = await http.OpenRunAsync(projectId);
        for (var i = 0; i < 3; i++)
        {
            var ok = await http.PostAsJsonAsync("/api/tests", ReporterClient.Test(runId, projectId, $"A > t{i}"));
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
            Assert.Equal("3", ok.Headers.GetValues("RateLimit-Limit").Single());
        }
        var limited = await http.PostAsJsonAsync("/api/tests", ReporterClient.Test(runId, projectId, "A > t3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("RATE_LIMITED", (await limited.JsonAsync()).ErrorCode());
        // Nothing of the refused request was kept.
        Assert.Equal(3, (await http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/tests?runId={runId}")).GetProperty("total").GetInt64());

        // Another key has its own bucket; another group of the same key is not touched; 0 turns a group off.
        var (otherProject, otherKey) = await _seismo.CreateProjectAsync("limits-other");
        var other = _seismo.ClientWithKey(otherKey);
        var otherRun = await other.OpenRunAsync(otherProject);
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync("/api/tests", ReporterClient.Test(otherRun, otherProject, "A > t"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/test-suites?runId={runId}&projectId={projectId}")).StatusCode);
        for (var i = 0; i < 40; i++) await http.OpenRunAsync(projectId);
    }

    [Fact]
    public void Defaults_are_the_contracts_with_test_writes_at_ten_thousand()
    {
        var limits = new RateLimits(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        Assert.Equal(100, limits.LimitOf(RateLimitGroup.RunsRead));
        Assert.Equal(30, limits.LimitOf(RateLimitGroup.RunsWrite));
        Assert.Equal(200, limits.LimitOf(RateLimitGroup.TestsRead));
        Assert.Equal(10_000, limits.LimitOf(RateLimitGroup.TestsWrite));
        Assert.Equal(30, limits.LimitOf(RateLimitGroup.Uploads));
        Assert.Equal(60, limits.LimitOf(RateLimitGroup.ProjectsTeams));
        Assert.Equal(30, limits.LimitOf(RateLimitGroup.KeysWebhooks));
    }
}
