using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Live;
using Seismo.Tests.Support;

namespace Seismo.Tests.Uploads;

/// <summary>Live phases over SSE, unsafe zips refused with nothing applied, and one identity for JUnit and Allure.</summary>
public sealed class UploadLifecycleTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    [Fact]
    public async Task Phases_arrive_in_order_over_the_upload_stream()
    {
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        await using var sse = await SseClient.OpenAsync(http, $"/api/uploads/stream?key={SeismoFactory.AdminKey}");

        var zip = Zips.FromDirectory(SharedData.CorpusPath("allure", "allure-mocha"));
        var session = await kit.StartChunkedAsync("sse-1", zip.Length, 2);
        var id = session.GetProperty("id").GetString()!;
        for (var i = 1; i >= 0; i--) (await kit.PutChunkAsync(id, i, 2, UploadKit.Chunk(zip, i, 2))).EnsureSuccessStatusCode();
        (await kit.Client.PostAsync($"/api/uploads/{id}/complete", null)).EnsureSuccessStatusCode();

        var phases = new List<string>();
        var frames = new List<JsonElement>();
        while (phases.LastOrDefault() is not ("done" or "failed"))
        {
            var frame = await sse.NextAsync();
            Assert.Null(frame.Type);   // data-only frames: the payload is the session itself
            var data = frame.Json;
            if (data.GetProperty("id").GetString() != id) continue;
            frames.Add(data);
            if (phases.LastOrDefault() != data.GetProperty("phase").GetString()) phases.Add(data.GetProperty("phase").GetString()!);
        }
        Assert.Equal(["uploading", "assembling", "generating", "done"], phases);
        Assert.Equal([1], frames[1].GetProperty("receivedChunks").EnumerateArray().Select(e => e.GetInt32()));
        var last = frames[^1];
        Assert.Equal(JsonSerializer.Serialize(await kit.GetSessionAsync(id)), JsonSerializer.Serialize(last));
        Assert.True(last.GetProperty("testsParsed").GetInt32() > 0);
        Assert.Equal("failed", last.GetProperty("report").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_zip_bomb_is_refused_and_the_session_fails_with_the_reason()
    {
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        var bomb = Zips.Of(("results/a-result.json", System.Text.Encoding.UTF8.GetBytes(Zips.AllureResult("t", "suite t", "passed"))), ("results/zeros.txt", new byte[40 * 1024 * 1024]));
        Assert.True(bomb.Length < 200_000);
        using var response = await kit.StreamAsync(bomb, "bomb");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("compression_ratio", error.GetProperty("error").GetProperty("details").GetProperty("reason").GetString());

        var session = Assert.Single((await kit.Client.GetFromJsonAsync<JsonElement>("/api/uploads")).GetProperty("data").EnumerateArray(),
            s => s.GetProperty("buildId").GetString() == "bomb" && s.GetProperty("projectId").GetString() == kit.ProjectId.ToString());
        Assert.Equal("failed", session.GetProperty("phase").GetString());
        Assert.StartsWith("compression_ratio", session.GetProperty("error").GetString());
        await AssertNothingAppliedAsync(kit, "bomb");
    }

    [Theory]
    [InlineData("../escape-result.json", "path_traversal")]
    [InlineData("results/../../escape-result.json", "path_traversal")]
    [InlineData("/etc/escape-result.json", "absolute_path")]
    [InlineData("C:/escape-result.json", "absolute_path")]
    public async Task A_zip_slip_entry_is_refused(string name, string reason)
    {
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        var zip = Zips.Of(("ok-result.json", Zips.AllureResult("ok", "suite ok", "passed")), (name, Zips.AllureResult("bad", "suite bad", "passed")));
        using var response = await kit.StreamAsync(zip, "slip");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        Assert.False(File.Exists(Path.Combine(fixture.Seismo.DataDir, "escape-result.json")));
        await AssertNothingAppliedAsync(kit, "slip");
    }

    [Fact]
    public async Task A_symbolic_link_entry_is_refused()
    {
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var w = new StreamWriter(zip.CreateEntry("a-result.json").Open())) w.Write(Zips.AllureResult("a", "s a", "passed"));
            var link = zip.CreateEntry("link-result.json");
            link.ExternalAttributes = unchecked((int)(0xA1FFu << 16));   // S_IFLNK | 0777
            using (var w = new StreamWriter(link.Open())) w.Write("/etc/passwd");
        }
        using var response = await kit.StreamAsync(buffer.ToArray(), "link");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"reason\":\"link\"", await response.Content.ReadAsStringAsync());
        await AssertNothingAppliedAsync(kit, "link");
    }

    [Fact]
    public async Task A_test_reported_by_junit_and_by_allure_is_one_test()
    {
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        var junit = Zips.Of(("TEST-com.acme.CartTest.xml", Zips.Junit(("com.acme.CartTest", "addsItem", false))));
        (await kit.StreamAsync(junit, "junit-build")).EnsureSuccessStatusCode();
        const string labels = """[{"name":"testClass","value":"com.acme.CartTest"},{"name":"testMethod","value":"addsItem"},{"name":"language","value":"java"}]""";
        var allure = Zips.Of(
            ("allure-results/1-result.json", Zips.AllureResult("addsItem", "com.acme.CartTest.addsItem", "failed", "h1", 1_700_000_000_000, labels,
                ""","statusDetails":{"message":"expected 2 but was 1","trace":"at CartTest.java:12"},"steps":[{"name":"add to cart","status":"failed","statusDetails":{"message":"expected 2 but was 1"}}]""")),
            ("allure-results/2-result.json", Zips.AllureResult("addsItem", "com.acme.CartTest.addsItem", "passed", "h1", 1_700_000_000_100, labels)));
        (await kit.StreamAsync(allure, "allure-build")).EnsureSuccessStatusCode();
        await fixture.Seismo.DrainAsync();

        var tests = (await kit.Client.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={kit.ProjectId}")).GetProperty("data");
        var test = Assert.Single(tests.EnumerateArray());
        var history = await kit.Client.GetFromJsonAsync<JsonElement>($"/api/tests/{test.GetProperty("testId").GetString()}/history");
        Assert.Equal(2, history.GetProperty("data").GetArrayLength());
        var latest = await kit.Client.GetFromJsonAsync<JsonElement>($"/api/tests/{history.GetProperty("data")[0].GetProperty("resultId").GetString()}");
        var text = latest.ToString();
        Assert.Contains("expected 2 but was 1", text);   // statusDetails of the failed attempt
        Assert.Contains("add to cart", text);            // its steps
        Assert.Equal(2, latest.GetProperty("attempt").GetInt32());
        var runs = (await kit.Client.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={kit.ProjectId}")).GetProperty("data");
        Assert.Equal(1, runs[0].GetProperty("flakyTests").GetInt32());   // failed then passed in one build: flaky
    }

    private async Task AssertNothingAppliedAsync(UploadKit kit, string buildId)
    {
        Assert.False(Directory.Exists(Path.Combine(fixture.Seismo.DataDir, "builds", kit.ProjectId.ToString("N"), buildId)));
        Assert.Empty(Directory.Exists(Path.Combine(fixture.Seismo.DataDir, "builds", kit.ProjectId.ToString("N")))
            ? Directory.GetFileSystemEntries(Path.Combine(fixture.Seismo.DataDir, "builds", kit.ProjectId.ToString("N"))) : []);
        var runs = await kit.Client.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={kit.ProjectId}");
        Assert.Equal(0, runs.GetProperty("data").GetArrayLength());
        var reports = await kit.Client.GetFromJsonAsync<JsonElement>($"{kit.ProjectPath}/reports");
        Assert.Equal(0, reports.GetProperty("data").GetArrayLength());
    }
}
