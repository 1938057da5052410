using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Grains;
using Seismo.Tests.Support;

namespace Seismo.Tests.Settings;

/// <summary>GET /api/overview against a small history ingested through /collect, with figures computed by hand.</summary>
public sealed class OverviewApiTests : IAsyncLifetime
{
    private readonly SeismoFactory _seismo = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _seismo.DisposeAsync();

    private static Dictionary<string, string> Ci(string runId, string sha) => new()
    {
        ["GITHUB_ACTIONS"] = "true", ["GITHUB_RUN_ID"] = runId, ["GITHUB_SHA"] = sha, ["GITHUB_REF"] = "refs/heads/main",
    };

    [Fact]
    public async Task Overview_figures_match_a_hand_computed_history_and_follow_environments()
    {
        var (checkout, checkoutKey) = await _seismo.CreateProjectAsync("checkout");
        var (search, _) = await _seismo.CreateProjectAsync("search");
        var admin = _seismo.Admin();

        // checkout #101: 3 passed, 1 failed, 1 skipped. checkout #102: 2 passed, 1 passed on retry, 1 error.
        // search #201: 4 passed. By hand: 3 builds, 10 passed, 2 failed, 1 skipped; pass rate 10/12 → 83.
        await PostAsync(admin, checkout, Ci("101", "aaa111"),
            [new("Cart", "adds"), new("Cart", "removes"), new("Cart", "totals"), new("Cart", "coupon", "failed"), new("Cart", "legacy", "skipped")]);
        await PostAsync(admin, checkout, Ci("102", "bbb222"),
            [new("Cart", "adds"), new("Cart", "removes"), new("Cart", "totals", "passed", Reruns: 1), new("Cart", "coupon", "error")]);
        await PostAsync(admin, search, Ci("201", "ccc333"),
            [new("Search", "a"), new("Search", "b"), new("Search", "c"), new("Search", "d")]);

        var overview = await WaitForBuildsAsync(admin, 3);
        var summary = overview.GetProperty("summary");
        Assert.Equal(1, summary.GetProperty("totalEnvironments").GetInt32()); // every project is in the implicit "default"
        Assert.Equal(3, summary.GetProperty("totalProjects").GetInt32());    // default, checkout, search
        Assert.Equal(3, summary.GetProperty("totalBuilds").GetInt64());
        Assert.Equal(10, summary.GetProperty("totalPassed").GetInt64());
        Assert.Equal(2, summary.GetProperty("totalFailed").GetInt64());
        Assert.Equal(83, summary.GetProperty("overallPassRate").GetInt32());

        var day = Assert.Single(overview.GetProperty("dailyTrends").EnumerateArray());
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), day.GetProperty("date").GetString());
        Assert.Equal((10, 2, 1, 3), (day.GetProperty("passed").GetInt32(), day.GetProperty("failed").GetInt32(),
            day.GetProperty("skipped").GetInt32(), day.GetProperty("buildCount").GetInt32()));

        var failing = Assert.Single(overview.GetProperty("topFailingProjects").EnumerateArray());
        Assert.Equal(checkout.ToString(), failing.GetProperty("projectId").GetString());
        Assert.Equal(("default", "Default", "checkout"), (failing.GetProperty("envId").GetString(), failing.GetProperty("envName").GetString(),
            failing.GetProperty("projectName").GetString()));
        // checkout: 6 passed, 2 failed over 2 builds → 75.
        Assert.Equal((2, 2, 75), (failing.GetProperty("totalFailed").GetInt32(), failing.GetProperty("totalBuilds").GetInt32(), failing.GetProperty("passRate").GetInt32()));

        var recent = overview.GetProperty("recentBuilds").EnumerateArray().ToList();
        Assert.Equal(["201", "102", "101"], recent.Select(b => b.GetProperty("buildId").GetString()));
        Assert.Equal(("search", "passed", 4, 0), (recent[0].GetProperty("projectName").GetString(), recent[0].GetProperty("status").GetString(),
            recent[0].GetProperty("passed").GetInt32(), recent[0].GetProperty("failed").GetInt32()));
        Assert.Equal(("failed", "bbb222", "main"), (recent[1].GetProperty("status").GetString(), recent[1].GetProperty("commitSha").GetString(),
            recent[1].GetProperty("branch").GetString()));

        // A project key sees its project only.
        var scoped = await _seismo.ClientWithKey(checkoutKey).GetFromJsonAsync<JsonElement>("/api/overview");
        Assert.Equal((1, 2, 6, 2), (scoped.GetProperty("summary").GetProperty("totalProjects").GetInt32(),
            scoped.GetProperty("summary").GetProperty("totalBuilds").GetInt32(), scoped.GetProperty("summary").GetProperty("totalPassed").GetInt32(),
            scoped.GetProperty("summary").GetProperty("totalFailed").GetInt32()));
        Assert.All(scoped.GetProperty("recentBuilds").EnumerateArray(), b => Assert.Equal(checkout.ToString(), b.GetProperty("projectId").GetString()));

        // Environments (the environment API calls these grain methods): checkout moves to "staging".
        var accountId = (await admin.GetFromJsonAsync<JsonElement>($"/api/projects/{checkout}")).GetProperty("teamId").GetGuid();
        var grain = _seismo.Services.GetRequiredService<IGrainFactory>().GetGrain<IOverviewGrain>(accountId);
        await grain.SetEnvironmentAsync("empty", "Empty");
        await grain.SetProjectEnvironmentAsync(checkout, "staging", "Staging");
        var moved = await admin.GetFromJsonAsync<JsonElement>("/api/overview");
        Assert.Equal(3, moved.GetProperty("summary").GetProperty("totalEnvironments").GetInt32()); // default, staging, empty
        var staged = moved.GetProperty("topFailingProjects")[0];
        Assert.Equal(("staging", "Staging"), (staged.GetProperty("envId").GetString(), staged.GetProperty("envName").GetString()));
        Assert.Equal("staging", moved.GetProperty("recentBuilds")[1].GetProperty("envId").GetString());

        await grain.SetEnvironmentAsync("staging", "Staging EU");
        var renamed = await admin.GetFromJsonAsync<JsonElement>("/api/overview");
        Assert.Equal("Staging EU", renamed.GetProperty("topFailingProjects")[0].GetProperty("envName").GetString());

        await grain.RemoveEnvironmentAsync("staging");
        await grain.RemoveEnvironmentAsync("empty");
        var back = await admin.GetFromJsonAsync<JsonElement>("/api/overview");
        Assert.Equal(1, back.GetProperty("summary").GetProperty("totalEnvironments").GetInt32());
        Assert.Equal("default", back.GetProperty("topFailingProjects")[0].GetProperty("envId").GetString());

        await grain.RemoveProjectAsync(search);
        var removed = await admin.GetFromJsonAsync<JsonElement>("/api/overview");
        Assert.Equal((2, 2, 6), (removed.GetProperty("summary").GetProperty("totalProjects").GetInt32(),
            removed.GetProperty("summary").GetProperty("totalBuilds").GetInt32(), removed.GetProperty("summary").GetProperty("totalPassed").GetInt32()));
    }

    [Fact]
    public async Task Overview_survives_a_restart_and_needs_a_key()
    {
        var project = await _seismo.DefaultProjectAsync();
        await PostAsync(_seismo.Admin(), project, Ci("7", "abc"), [new("A", "one"), new("A", "two", "failed")]);
        await WaitForBuildsAsync(_seismo.Admin(), 1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _seismo.CreateClient().GetAsync("/api/overview")).StatusCode);
        await _seismo.DisposeAsync();

        await using var restarted = new SeismoFactory(_seismo.DataDir);
        var overview = await WaitForBuildsAsync(restarted.Admin(), 1);
        var summary = overview.GetProperty("summary");
        Assert.Equal((1, 1, 1, 50), (summary.GetProperty("totalBuilds").GetInt32(), summary.GetProperty("totalPassed").GetInt32(),
            summary.GetProperty("totalFailed").GetInt32(), summary.GetProperty("overallPassRate").GetInt32()));
    }

    private static async Task PostAsync(HttpClient http, Guid project, Dictionary<string, string> env, SyntheticCase[] cases)
    {
        var response = await http.PostArchiveAsync(await SyntheticReports.ArchiveAsync(cases, env: env), project);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Runs reach the overview by a one-way call right after they are stored: wait until they are counted.</summary>
    private static async Task<JsonElement> WaitForBuildsAsync(HttpClient http, int builds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var overview = await http.GetFromJsonAsync<JsonElement>("/api/overview");
            if (overview.GetProperty("summary").GetProperty("totalBuilds").GetInt32() >= builds || DateTime.UtcNow > deadline) return overview;
            await Task.Delay(20);
        }
    }
}
