using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Reporting;
using Seismo.Tests.Support;

namespace Seismo.Tests.Uploads;

/// <summary>One test reported through /collect (JUnit), the Euriqa reporter and an Allure upload is one test.</summary>
public sealed class OneTestAcrossFormatsTests
{
    [Fact]
    public async Task JUnit_the_reporter_and_Allure_land_on_one_test_id_with_three_results_in_its_history()
    {
        await using var seismo = new SeismoFactory();
        var kit = await UploadKit.CreateAsync(seismo);
        var key = (await (await seismo.Admin().PostAsJsonAsync("/api/api-keys", new { projectId = kit.ProjectId, name = "ci", role = "developer" }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        var agent = seismo.ClientWithKey(key);

        // Playwright's JUnit reporter: the classname is the spec file, the name the title path.
        var archive = await SyntheticReports.ArchiveAsync([new SyntheticCase("tests/auth/login.spec.ts", "Auth › Login Page › shows the form", "failed")]);
        var collected = await agent.PostArchiveAsync(archive);
        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);
        await agent.WaitProcessedAsync((await collected.JsonAsync()).GetProperty("observation_id").GetString()!);

        var runId = await agent.OpenRunAsync(kit.ProjectId, sha: "sha2");
        var posted = await agent.PostTestAsync(ReporterClient.Test(runId, kit.ProjectId, "login.spec.ts > Auth > Login Page > shows the form", "passed"));
        await agent.CloseRunAsync(runId, "passed");

        var zip = Zips.Of(("allure-results/1-result.json",
            Zips.AllureResult("shows the form", "login.spec.ts > Auth > Login Page > shows the form", "passed")));
        var uploaded = await kit.StreamAsync(zip, "build-7");
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        var session = await kit.WaitFinalAsync((await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
        Assert.Equal(1, session.GetProperty("testsParsed").GetInt32());
        await seismo.DrainAsync();

        var testId = posted.GetProperty("testId").GetString()!;
        var catalog = await agent.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={kit.ProjectId}");
        Assert.Equal(testId, Assert.Single(catalog.GetProperty("data").EnumerateArray()).GetProperty("testId").GetString());
        var history = await Eventually.ReadAsync(() => agent.HistoryAsync(testId), h => h.GetProperty("total").GetInt32() >= 3);
        Assert.Equal(["passed", "passed", "failed"], history.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("status").GetString()));
    }
}
