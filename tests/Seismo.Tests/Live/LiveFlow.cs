using System.Net;
using System.Net.Http.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Live;

/// <summary>Ingest helpers for live tests: a test that turns flaky, and plain runs.</summary>
internal static class LiveFlow
{
    /// <summary>Posts one run of "steady" and "wobbly"; wobbly fails when <paramref name="wobblyFails"/>.</summary>
    public static async Task<string> RunAsync(HttpClient agent, int run, bool wobblyFails, bool retried = false)
    {
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = $"live{run}", ["GITHUB_REF"] = "refs/heads/main" };
        SyntheticCase[] cases =
        [
            new("com.acme.Live", "steady"),
            new("com.acme.Live", "wobbly", wobblyFails ? "failed" : "passed", Reruns: retried ? 1 : 0),
        ];
        var response = await agent.PostArchiveAsync(await SyntheticReports.ArchiveAsync(cases, env: env));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("observation_id").GetString()!;
    }

    /// <summary>Lowers the project's threshold so a test failing a third of its runs is quarantined quickly.</summary>
    public static Task LowerThresholdAsync(SeismoFactory seismo, Guid projectId) =>
        seismo.Admin().PatchAsJsonAsync($"/api/projects/{projectId}/settings", new { flakinessThreshold = 0.1 });
}
