using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Seismo.Cli.Http;
using Seismo.Cli.Run;
using Seismo.Cli.Tests.Support;
using Seismo.Tests.Support;
using Seismo.Domain.Collect;
using Seismo.Domain.Identity;

namespace Seismo.Cli.Tests;

/// <summary>The CLI's pure parts: retry timing, globs, SSE frames, command.json, the failing-test fold, output capture.</summary>
public sealed class CliPartsTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 15, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Retry_after_is_honoured_as_seconds_or_a_date_and_backoff_doubles_to_a_cap()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), RetryPolicy.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), Now));
        Assert.Equal(TimeSpan.FromSeconds(30), RetryPolicy.RetryAfter(new RetryConditionHeaderValue(Now.AddSeconds(30)), Now));
        Assert.Equal(TimeSpan.Zero, RetryPolicy.RetryAfter(new RetryConditionHeaderValue(Now.AddSeconds(-30)), Now));
        Assert.Null(RetryPolicy.RetryAfter(null, Now));

        var policy = new RetryPolicy();
        Assert.Equal(TimeSpan.FromSeconds(1), policy.Backoff(1, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(4), policy.Backoff(3, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.Backoff(10, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(0.8), policy.Backoff(1, 0));
        Assert.Equal(TimeSpan.FromSeconds(1.2), policy.Backoff(1, 1));

        Assert.Equal(TimeSpan.FromSeconds(7), policy.Decide(1, TimeSpan.FromSeconds(7), 0.5).Wait);
        Assert.False(policy.Decide(6, TimeSpan.FromSeconds(1), 0.5).Retry);
        var tooLong = policy.Decide(1, TimeSpan.FromMinutes(30), 0.5);
        Assert.False(tooLong.Retry);
        Assert.Contains("1800 s", tooLong.GiveUpReason);

        Assert.True(RetryPolicy.IsTransient(HttpStatusCode.TooManyRequests));
        Assert.True(RetryPolicy.IsTransient(HttpStatusCode.ServiceUnavailable));
        Assert.False(RetryPolicy.IsTransient(HttpStatusCode.BadRequest));
        Assert.False(RetryPolicy.IsTransient(HttpStatusCode.PaymentRequired));
    }

    [Fact]
    public void Globs_match_within_and_across_folders()
    {
        var root = TempDir.Create("seismo-glob");
        foreach (var file in new[] { "a.xml", "b.txt", "reports/c.xml", "reports/deep/d.xml", "reports/deep/e.json", "other/f.xml" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
            File.WriteAllText(Path.Combine(root, file), "x");
        }
        string[] Names(string pattern) => [.. FileGlob.Expand(pattern, root).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))];

        Assert.Equal(["a.xml"], Names("*.xml"));
        Assert.Equal(["reports/c.xml"], Names("reports/*.xml"));
        Assert.Equal(["reports/c.xml", "reports/deep/d.xml"], Names("reports/**/*.xml"));
        Assert.Equal(["a.xml", "other/f.xml", "reports/c.xml", "reports/deep/d.xml"], Names("**/*.xml"));
        Assert.Equal(["reports/deep/d.xml", "reports/deep/e.json"], Names("reports/**/?.*").Where(n => n.Contains("deep")));
        Assert.Equal(["b.txt"], Names("b.txt"));
        Assert.Equal(["reports/deep/d.xml"], Names(Path.Combine(root, "reports/deep/*.xml")));
        Assert.Empty(Names("missing/*.xml"));
        Assert.Empty(Names("nothing.xml"));
    }

    [Fact]
    public async Task Sse_frames_are_read_with_multi_line_data_ids_and_comments()
    {
        const string stream = ": heartbeat\n\nevent: run.failed\nid: 3\ndata: {\"a\":\ndata: 1}\n\nretry: 2000\n\ndata:plain\n\n";
        var frames = new List<SseFrame>();
        await foreach (var f in SseReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(stream)), CancellationToken.None)) frames.Add(f);
        Assert.Equal([new SseFrame("run.failed", "3", "{\"a\":\n1}"), new SseFrame(null, null, "plain")], frames);
    }

    [Fact]
    public void Command_json_written_by_the_cli_reads_back_as_the_same_document()
    {
        var document = new CommandDocument(["npm", "test", "--", "--grep", "a \"quoted\" name"], "github-ci", -1073741819, 8100,
            new DateTimeOffset(2026, 4, 15, 9, 23, 41, 123, TimeSpan.Zero),
            new Dictionary<string, string> { ["CI"] = "true", ["GITHUB_SHA"] = "a1b2c3" }, ["ci", "unit"]);

        var read = CommandJsonValidator.Validate(CommandJsonWriter.ToUtf8(document));

        Assert.True(read.IsValid, read.Message);
        var back = read.Document!;
        Assert.Equal(document.Command, back.Command);
        Assert.Equal(document.User, back.User);
        Assert.Equal(document.ReturnCode, back.ReturnCode);
        Assert.Equal(document.ExecutionTimeMs, back.ExecutionTimeMs);
        Assert.Equal(document.Executed, back.Executed);
        Assert.Equal(document.Env, back.Env);
        Assert.Equal(document.Tags, back.Tags);
    }

    [Fact]
    public void Failing_tests_fold_reruns_and_use_the_servers_key_function()
    {
        var first = Junit.Report(("com.acme.A", "fails", "failed"), ("com.acme.A", "recovers", "failed"), ("com.acme.A", "passes", "passed"),
            ("com.acme.A", "retried", "flaky"), ("com.acme.A", "skips", "skipped"));
        var rerun = Junit.Report(("com.acme.A", "recovers", "passed"));
        var (failing, error) = FailingTests.Read([("a.xml", Encoding.UTF8.GetBytes(first)), ("b.xml", Encoding.UTF8.GetBytes(rerun)),
            ("notes.txt", Encoding.UTF8.GetBytes("not a report"))]);

        Assert.Null(error);
        var only = Assert.Single(failing);
        Assert.Equal("com.acme.A › fails", only.Title);
        Assert.Equal(TestKeys.FromJunit("com.acme.A", "fails").HashHex(), only.KeyHashHex);

        var (_, broken) = FailingTests.Read([("bad.xml", Encoding.UTF8.GetBytes("<testsuite><testcase name=\"x\">"))]);
        Assert.NotNull(broken);
        var (none, other) = FailingTests.Read([("other.xml", Encoding.UTF8.GetBytes("<coverage/>"))]);
        Assert.Null(other);
        Assert.Empty(none);
    }

    [Fact]
    public void Output_capture_keeps_the_end_and_says_what_it_dropped()
    {
        var capture = new OutputCapture(10);
        capture.Append("0123456789");
        Assert.Equal("0123456789", capture.Text());
        capture.Append("abcdefghijklmnop");
        Assert.Equal("[seismo: the first 16 characters of output were dropped]\ngh" + "ijklmnop", capture.Text());
    }

    [Fact]
    public void The_captured_environment_is_ci_context_with_secrets_masked()
    {
        var captured = CiEnvironmentCapture.Capture(new Dictionary<string, string>
        {
            ["GITLAB_CI"] = "true",
            ["CI_COMMIT_SHA"] = "abc",
            ["CI_JOB_TOKEN"] = "glcbt-secret",
            ["CI_REPOSITORY_URL"] = "https://gitlab-ci-token:secret@gitlab.example.com/a/b.git",
            ["HOME"] = "/root",
            ["MY_FLAG"] = "on",
        }, ["MY_FLAG"]);

        Assert.Equal("abc", captured["CI_COMMIT_SHA"]);
        Assert.Equal(SecretMasker.Redacted, captured["CI_JOB_TOKEN"]);
        Assert.Equal(SecretMasker.Redacted, captured["CI_REPOSITORY_URL"]);
        Assert.Equal("on", captured["MY_FLAG"]);
        Assert.False(captured.ContainsKey("HOME"));
        Assert.Equal("gitlab-ci", CiEnvironmentCapture.User(new Dictionary<string, string> { ["GITLAB_CI"] = "true" }));
        Assert.Equal("github-ci", CiEnvironmentCapture.User(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" }));
        Assert.Equal("local-dev", CiEnvironmentCapture.User(new Dictionary<string, string>()));
    }
}
