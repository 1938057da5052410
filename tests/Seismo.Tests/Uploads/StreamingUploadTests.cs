using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Uploads;

/// <summary>Strategy A end to end: one request with the zip, results stored and queryable, the build id taken once.</summary>
public sealed class StreamingUploadTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    [Fact]
    public async Task A_real_allure_results_zip_becomes_a_run_with_its_tests()
    {
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        var zip = Zips.FromDirectory(SharedData.CorpusPath("allure", "allure-playwright"), "allure-results/");
        using var response = await kit.StreamAsync(zip, "build-1");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var session = JsonDocument.Parse(body).RootElement;
        Assert.Equal("streaming", session.GetProperty("strategy").GetString());
        Assert.Equal("build-1", session.GetProperty("buildId").GetString());
        Assert.Equal(zip.Length, session.GetProperty("bytesReceived").GetInt64());
        Assert.Equal(Directory.GetFiles(SharedData.CorpusPath("allure", "allure-playwright")).Length, session.GetProperty("filesExtracted").GetInt32());
        var tests = session.GetProperty("testsParsed").GetInt32();
        Assert.True(tests > 0);

        var final = await kit.WaitFinalAsync(session.GetProperty("id").GetString()!);
        Assert.Equal("done", final.GetProperty("phase").GetString());
        Assert.Equal("failed", final.GetProperty("report").GetProperty("status").GetString());
        Assert.Contains("could not be started", final.GetProperty("report").GetProperty("error").GetString());

        await fixture.Seismo.DrainAsync();
        var runs = await kit.Client.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={kit.ProjectId}");
        var run = Assert.Single(runs.GetProperty("data").EnumerateArray());
        Assert.Equal(tests, run.GetProperty("totalTests").GetInt32());
        var runDetail = await kit.Client.GetFromJsonAsync<JsonElement>($"/api/runs/{run.GetProperty("id").GetString()}");
        Assert.Contains("build-1", runDetail.ToString());
        var listed = await kit.Client.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={kit.ProjectId}&limit=500");
        Assert.Equal(tests, listed.GetProperty("data").GetArrayLength());
        // The retried test (several results with one historyId) is one test with its attempts.
        Assert.True(tests < Directory.GetFiles(SharedData.CorpusPath("allure", "allure-playwright"), "*-result.json").Length);
    }

    [Fact]
    public async Task A_junit_zip_at_any_depth_is_ingested_and_a_duplicate_build_is_409()
    {
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        var zip = Zips.Of(("reports/unit/nested/TEST-cart.xml", Zips.Junit(("com.acme.CartTest", "addsItem", false), ("com.acme.CartTest", "removesItem", true))));
        using var first = await kit.StreamAsync(zip, "2024-01-15-001", "application/octet-stream");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var session = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, session.GetProperty("testsParsed").GetInt32());

        using var again = await kit.StreamAsync(zip, "2024-01-15-001");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("\"code\":\"CONFLICT\"", await again.Content.ReadAsStringAsync());

        await fixture.Seismo.DrainAsync();
        var runs = await kit.Client.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={kit.ProjectId}");
        var run = Assert.Single(runs.GetProperty("data").EnumerateArray());
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("failedTests").GetInt32());
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_the_field_named()
    {
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        var zip = Zips.Of(("a.xml", Zips.Junit(("C", "t", false))));
        using (var noBuild = await kit.Client.PostAsync($"{kit.ProjectPath}/upload", new ByteArrayContent(zip)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noBuild.StatusCode);
            Assert.Contains("buildId", await noBuild.Content.ReadAsStringAsync());
        }
        using (var badBuild = await kit.StreamAsync(zip, "../etc"))
            Assert.Equal(HttpStatusCode.BadRequest, badBuild.StatusCode);
        using (var wrongType = await kit.StreamAsync(zip, "b1", "text/plain"))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        using (var notZip = await kit.StreamAsync("hello"u8.ToArray(), "b2"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notZip.StatusCode);
            Assert.Contains("not_a_zip", await notZip.Content.ReadAsStringAsync());
        }
        using (var empty = await kit.StreamAsync(Zips.Of(("readme.txt", "nothing here")), "b3"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Contains("no_results", await empty.Content.ReadAsStringAsync());
        }
        using (var unknownProject = await kit.Client.PostAsync($"/api/environments/{kit.EnvId}/projects/nope/upload?buildId=x", new ByteArrayContent(zip)))
            Assert.Equal(HttpStatusCode.NotFound, unknownProject.StatusCode);
        // A refused upload takes nothing: the same build id goes through afterwards.
        using var ok = await kit.StreamAsync(zip, "b2");
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
    }
}
