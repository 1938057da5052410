using System.Net;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Dashboard.Tests.Support;

/// <summary>Posting runs through /collect as CI would: GitHub Actions context, JUnit results.</summary>
internal static class Runs
{
    public static async Task<string> PostAsync(HttpClient agent, int run, IEnumerable<SyntheticCase> cases, string branch = "main", int returnCode = 0)
    {
        var env = new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = $"{run:x4}c0ffee{run:x4}", ["GITHUB_REF"] = $"refs/heads/{branch}", ["GITHUB_RUN_ID"] = $"{1000 + run}",
        };
        var response = await agent.PostArchiveAsync(await SyntheticReports.ArchiveAsync(cases, returnCode, env));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("observation_id").GetString()!;
        Assert.Equal("processed", (await agent.WaitProcessedAsync(id)).GetProperty("status").GetString());
        return id;
    }

    /// <summary>A run of a steady test and a wobbly one; the wobbly one fails, or passes on a retry.</summary>
    public static Task<string> WobblyAsync(HttpClient agent, int run, bool fails, bool retried = false) => PostAsync(agent, run,
    [
        new("com.acme.CartTest", "adds an item"),
        new("com.acme.CartTest", "applies the discount", fails ? "failed" : "passed", Reruns: retried ? 1 : 0,
            Message: fails ? "expected 90 but was 100" : "timed out waiting for the price"),
    ], returnCode: fails ? 1 : 0);

    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }
}
