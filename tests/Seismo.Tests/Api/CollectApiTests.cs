using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Api.Ingest;
using Seismo.Domain.Collect;
using Seismo.Grains.Storage;
using Seismo.Tests.Support;

namespace Seismo.Tests.Api;

public sealed class CollectApiTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private static readonly SyntheticCase[] Suite =
    [
        new("com.acme.CartTest", "addsItem"),
        new("com.acme.CartTest", "removesItem", "failed", Message: "expected 1 but was 2"),
        new("com.acme.CartTest", "appliesCoupon", "passed", Reruns: 1),
        new("com.acme.CartTest", "legacyTotals", "skipped"),
        new("com.acme.PayTest", "charges", "error"),
    ];

    [Fact]
    public async Task A_small_archive_is_kept_with_its_run_and_a_large_one_in_the_archive_store()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("collect-archive-kinds");
        var agent = _seismo.ClientWithKey(key);
        var runs = _seismo.Services.GetRequiredService<IRunStore>();
        // Base64 of random bytes compresses to about three quarters: this archive is larger than the in-memory limit.
        var large = Convert.ToBase64String(RandomNumberGenerator.GetBytes(ReceivedArchive.MemoryLimit * 3 / 2)) + "\n";

        foreach (var (output, inRunLog) in new[] { ("short output\n", true), (large, false) })
        {
            var archive = await SyntheticReports.ArchiveAsync(Suite, output: output);
            Assert.Equal(inRunLog, archive.Length <= ReceivedArchive.MemoryLimit);
            var id = (await (await agent.PostArchiveAsync(archive)).JsonAsync()).GetProperty("observation_id").GetString()!;
            await agent.WaitProcessedAsync(id);

            Assert.Equal(output, await agent.GetStringAsync($"/api/runs/{id}/output"));
            var runGuid = Guid.Parse(id.Split('_')[^1]);
            var file = Path.Combine(_seismo.DataDir, "archives", projectId.ToString("N"), runGuid.ToString("N") + ".tar.zst");
            Assert.Equal(inRunLog ? archive : null, await runs.ReadArchiveAsync(runGuid));
            Assert.Equal(!inRunLog, File.Exists(file));
            if (!inRunLog) Assert.Equal(archive, await File.ReadAllBytesAsync(file));
        }
    }

    [Fact]
    public async Task Accepts_an_archive_and_serves_the_run_its_results_and_history()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("collect-happy");
        var agent = _seismo.ClientWithKey(key);
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = "abc123", ["GITHUB_REF"] = "refs/heads/main", ["API_TOKEN"] = "s3cr3t" };

        var response = await agent.PostArchiveAsync(await SyntheticReports.ArchiveAsync(Suite, returnCode: 1, env: env, output: "5 tests, 1 failed\n"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var observationId = body.GetProperty("observation_id").GetString()!;
        Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}_[0-9a-f\-]{36}$"), observationId);
        Assert.Equal(projectId, body.GetProperty("project_id").GetGuid());
        Assert.Equal("pending", body.GetProperty("status").GetString());
        Assert.True(body.TryGetProperty("account_id", out _) && body.TryGetProperty("agent_id", out _));
        Assert.Equal("100000", response.Headers.GetValues("RateLimit-Limit").Single());

        var observation = await agent.WaitProcessedAsync(observationId);
        Assert.Equal("processed", observation.GetProperty("status").GetString());
        Assert.Equal(5, observation.GetProperty("tests_parsed").GetInt32());

        var run = await agent.GetFromJsonAsync<JsonElement>($"/api/runs/{observationId}");
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal(5, run.GetProperty("totalTests").GetInt32());
        Assert.Equal(1, run.GetProperty("passedTests").GetInt32());
        Assert.Equal(2, run.GetProperty("failedTests").GetInt32());
        Assert.Equal(1, run.GetProperty("skippedTests").GetInt32());
        Assert.Equal(1, run.GetProperty("flakyTests").GetInt32());
        Assert.Equal("main", run.GetProperty("branch").GetString());
        Assert.Equal("abc123", run.GetProperty("commitSha").GetString());
        Assert.Equal("github-actions", run.GetProperty("ciProvider").GetString());
        Assert.Equal(4312, run.GetProperty("duration").GetInt64());
        Assert.NotEqual("s3cr3t", run.GetProperty("env").GetProperty("API_TOKEN").GetString());

        var output = await agent.GetStringAsync($"/api/runs/{observationId}/output");
        Assert.Equal("5 tests, 1 failed\n", output);

        var failed = await agent.GetFromJsonAsync<JsonElement>($"/api/tests?runId={observationId}&status=failed");
        Assert.Equal(1, failed.GetProperty("total").GetInt32());
        var result = failed.GetProperty("data")[0];
        Assert.Equal("removesItem", result.GetProperty("title").GetString());
        Assert.Equal("expected 1 but was 2", result.GetProperty("error").GetProperty("message").GetString());

        var testId = result.GetProperty("testId").GetString()!;
        var byTest = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}");
        var byResult = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{result.GetProperty("id").GetString()}");
        Assert.Equal(byTest.GetProperty("id").GetString(), byResult.GetProperty("id").GetString());
        Assert.Equal(testId, byResult.GetProperty("testId").GetString());

        Assert.Equal("STABLE", byTest.GetProperty("label").GetString());
        var flakyResult = (await agent.GetFromJsonAsync<JsonElement>($"/api/tests?runId={observationId}&status=flaky")).GetProperty("data")[0];
        var flaky = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{flakyResult.GetProperty("testId").GetString()}");
        Assert.Equal("SUSPECTED", flaky.GetProperty("label").GetString());
        Assert.Equal("PassedOnRetry", flaky.GetProperty("labelReason").GetString());
        Assert.InRange(flaky.GetProperty("flakinessScore").GetDouble(), 0, 1);

        var history = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}/history");
        Assert.Equal(observationId, history.GetProperty("data")[0].GetProperty("runId").GetString());
        Assert.Equal("main", history.GetProperty("data")[0].GetProperty("branch").GetString());

        var runs = await agent.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={projectId}&status=failed&branch=main");
        Assert.Equal(1, runs.GetProperty("total").GetInt32());
        Assert.Equal(observationId, runs.GetProperty("data")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Accepts_an_archive_made_by_gnu_tar_with_dot_slash_names()
    {
        if (!Tools.Exist("tar", "zstd")) Assert.Fail("tar and zstd are required (installed by .ci/run)");
        var dir = TempDir.Create("obs");
        Directory.CreateDirectory(Path.Combine(dir, "attachment"));
        await File.WriteAllBytesAsync(Path.Combine(dir, "command.json"), SyntheticReports.CommandJson());
        await File.WriteAllTextAsync(Path.Combine(dir, "output.txt"), "hello\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "attachment", "junit.xml"), SyntheticReports.Junit(Suite));
        var archive = Path.Combine(dir, "..", Path.GetFileName(dir) + ".tar.zst");
        await Tools.RunAsync("tar", "--zstd", "-cf", archive, "-C", dir, ".");

        var response = await _seismo.Admin().PostArchiveAsync(await File.ReadAllBytesAsync(archive), await _seismo.DefaultProjectAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var observation = await _seismo.Admin().WaitProcessedAsync((await response.JsonAsync()).GetProperty("observation_id").GetString()!);
        Assert.Equal(5, observation.GetProperty("tests_parsed").GetInt32());
    }

    [Fact]
    public async Task Unauthenticated_requests_get_401_with_the_error_body()
    {
        var archive = await SyntheticReports.ArchiveAsync(Suite);
        var anonymous = await _seismo.CreateClient().PostArchiveAsync(archive);
        var wrongKey = await _seismo.ClientWithKey("smo_not_a_key").PostArchiveAsync(archive);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal("UNAUTHORIZED", (await anonymous.JsonAsync()).ErrorCode());
    }

    [Fact]
    public async Task A_body_that_is_not_zstd_is_415()
    {
        var response = await _seismo.Admin().PostArchiveAsync(Encoding.UTF8.GetBytes("just some text, not zstd"), await _seismo.DefaultProjectAsync());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("archive", (await response.JsonAsync()).ErrorField());
    }

    public static TheoryData<string> RefusedArchives => ["corrupt-tar", "unsafe-path", "disallowed-type", "oversized-attachment", "no-command"];

    [Theory]
    [MemberData(nameof(RefusedArchives))]
    public async Task Archives_breaking_the_rules_are_400_naming_the_archive(string kind)
    {
        var archive = kind switch
        {
            "corrupt-tar" => Zstd(Encoding.UTF8.GetBytes(new string('x', 3000))),
            "unsafe-path" => await Raw.ArchiveAsync(("./command.json", SyntheticReports.CommandJson()), ("../escape.txt", "x"u8.ToArray())),
            "disallowed-type" => await Raw.ArchiveAsync(("./command.json", SyntheticReports.CommandJson()), ("./attachment/tool.exe", "MZ"u8.ToArray())),
            "oversized-attachment" => await Raw.ArchiveAsync(("./command.json", SyntheticReports.CommandJson()), ("./attachment/big.log", new byte[5 * 1024 * 1024 + 1])),
            _ => await Raw.ArchiveAsync(("./output.txt", "x"u8.ToArray())),
        };
        var response = await _seismo.Admin().PostArchiveAsync(archive, await _seismo.DefaultProjectAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("VALIDATION_ERROR", body.ErrorCode());
        Assert.Equal("archive", body.ErrorField());
    }

    [Fact]
    public async Task Missing_required_fields_are_422_naming_every_one()
    {
        var archive = await Raw.ArchiveAsync(("./command.json", """{"command":["make"],"user":"ci"}"""u8.ToArray()));
        var response = await _seismo.Admin().PostArchiveAsync(archive, await _seismo.DefaultProjectAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Contains("return_code", body.ErrorMessage());
        Assert.Contains("execution_time_ms", body.ErrorMessage());
        var fields = body.GetProperty("error").GetProperty("details").GetProperty("fields").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Equal(["return_code", "execution_time_ms"], fields);
    }

    [Fact]
    public async Task Malformed_command_json_is_400()
    {
        var archive = await Raw.ArchiveAsync(("./command.json", """{"command":"make","user":"ci","return_code":"zero","execution_time_ms":1}"""u8.ToArray()));
        var response = await _seismo.Admin().PostArchiveAsync(archive, await _seismo.DefaultProjectAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("command", (await response.JsonAsync()).ErrorMessage());
    }

    [Fact]
    public async Task Requests_without_the_archive_field_are_400()
    {
        var wrongField = await _seismo.Admin().PostArchiveAsync(await SyntheticReports.ArchiveAsync(Suite), await _seismo.DefaultProjectAsync(), field: "file");
        var notMultipart = await _seismo.Admin().PostAsync($"/collect?projectId={await _seismo.DefaultProjectAsync()}", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongField.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notMultipart.StatusCode);
        Assert.Equal("archive", (await wrongField.JsonAsync()).ErrorField());
    }

    [Fact]
    public async Task An_account_key_must_name_the_project()
    {
        var response = await _seismo.Admin().PostArchiveAsync(await SyntheticReports.ArchiveAsync(Suite));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("projectId", (await response.JsonAsync()).ErrorField());
    }

    [Fact]
    public async Task A_malformed_junit_report_fails_the_observation_and_applies_nothing()
    {
        var (_, key) = await _seismo.CreateProjectAsync("collect-malformed");
        var agent = _seismo.ClientWithKey(key);
        var archive = await CollectArchiveWriter.ToBytesAsync(SyntheticReports.CommandJson(), null,
        [
            new("good.xml", Encoding.UTF8.GetBytes(SyntheticReports.Junit(Suite))),
            new("broken.xml", "<testsuite><testcase name=\"a\">"u8.ToArray()),
        ]);
        var response = await agent.PostArchiveAsync(archive);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("observation_id").GetString()!;
        var observation = await agent.WaitProcessedAsync(id);
        Assert.Equal("failed", observation.GetProperty("status").GetString());
        Assert.Contains("attachment/broken.xml", observation.GetProperty("error").GetString());
        Assert.Equal(0, observation.GetProperty("tests_parsed").GetInt32());
        Assert.Equal(0, (await agent.GetFromJsonAsync<JsonElement>($"/api/tests?runId={id}")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_xml_attachment_that_is_not_junit_is_skipped()
    {
        var archive = await CollectArchiveWriter.ToBytesAsync(SyntheticReports.CommandJson(), null,
        [
            new("junit.xml", Encoding.UTF8.GetBytes(SyntheticReports.Junit(Suite))),
            new("pom.xml", "<project><modelVersion>4.0.0</modelVersion></project>"u8.ToArray()),
        ]);
        var response = await _seismo.Admin().PostArchiveAsync(archive, await _seismo.DefaultProjectAsync());
        var observation = await _seismo.Admin().WaitProcessedAsync((await response.JsonAsync()).GetProperty("observation_id").GetString()!);
        Assert.Equal("processed", observation.GetProperty("status").GetString());
        Assert.Equal(5, observation.GetProperty("tests_parsed").GetInt32());
    }

    [Fact]
    public async Task A_viewer_key_cannot_upload()
    {
        var (_, viewer) = await _seismo.CreateProjectAsync("collect-viewer", role: "viewer");
        var response = await _seismo.ClientWithKey(viewer).PostArchiveAsync(await SyntheticReports.ArchiveAsync(Suite));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("FORBIDDEN", (await response.JsonAsync()).ErrorCode());
    }

    private static byte[] Zstd(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor();
        return compressor.Wrap(data).ToArray();
    }
}
