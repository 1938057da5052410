using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Cli.Tests.Support;
using Seismo.Tests.Support;

namespace Seismo.Cli.Tests;

/// <summary><c>seismo flaky</c> shows what <c>GET /api/flakiness</c> says; <c>seismo tail</c> prints the project's events as they happen.</summary>
public sealed class CliFlakyTailTests(SeismoHost seismo) : IClassFixture<SeismoHost>
{
    [Fact]
    public async Task Flaky_lists_the_projects_tests_by_score_with_label_and_quarantine()
    {
        var (project, key) = await seismo.Factory.CreateProjectAsync("flaky-table");
        var report = Junit.Report(("com.acme.PayTest", "retries", "flaky"), ("com.acme.PayTest", "breaks", "failed"), ("com.acme.PayTest", "holds", "passed"));
        var seed = new CliRunner(seismo.Url, key);
        Assert.Equal(1, await seed.RunAsync(["run", "--junit", "junit.xml", "--", .. Junit.Command("junit.xml", report, 1)]));
        await seismo.Factory.Admin().WaitProcessedAsync(CliRunTests.ObservationId(seed));
        await seismo.Factory.DrainAsync();
        var admin = seismo.Factory.Admin();
        var breaks = (await ListAsync(project, "")).GetProperty("data").EnumerateArray().Single(r => r.GetProperty("testTitle").GetString() == "breaks");
        (await admin.PostAsJsonAsync("/api/flakiness", new { testId = breaks.GetProperty("testId").GetString(), projectId = project, isQuarantined = true }))
            .EnsureSuccessStatusCode();
        // The retried test's score reaches the index when its grain flushes (every second here).
        var retried = await UntilAsync(async () => (await ListAsync(project, "")).GetProperty("data").EnumerateArray()
            .FirstOrDefault(r => r.GetProperty("testTitle").GetString() == "retries" && r.GetProperty("flakinessScore").GetDouble() > 0));

        // Scores reach the index at each grain flush: compare the table with a listing that did not change around it.
        CliRunner cli;
        List<JsonElement> expected;
        var attempts = 0;
        while (true)
        {
            var before = (await ListAsync(project, "")).GetProperty("data").GetRawText();
            cli = new CliRunner(seismo.Url, key);
            Assert.Equal(0, await cli.RunAsync("flaky"));
            var after = await ListAsync(project, "");
            expected = after.GetProperty("data").EnumerateArray().ToList();
            if (after.GetProperty("data").GetRawText() == before || ++attempts == 10) break;
        }

        var lines = cli.Out.Text.Split('\n');
        Assert.Matches(@"^Score\s+Label\s+Runs\s+Flaky runs\s+Last flaky\s+Quarantined\s+Test$", lines[0]);
        Assert.Equal(3, expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var row = expected[i];
            var line = lines[i + 1];
            Assert.StartsWith(row.GetProperty("flakinessScore").GetDouble().ToString("0.000", CultureInfo.InvariantCulture), line);
            Assert.Contains(row.GetProperty("label").GetString()!, line);
            Assert.Contains(row.GetProperty("testTitle").GetString()!, line);
            Assert.Contains(row.GetProperty("isQuarantined").GetBoolean() ? " yes " : " no ", line);
        }
        Assert.Contains("3 of 3 test(s) shown", cli.Out.Text);

        // Half its (rounded) score: the floor keeps it and drops the tests that never failed.
        var minScore = (retried.GetProperty("flakinessScore").GetDouble() / 2).ToString(CultureInfo.InvariantCulture);
        var filtered = new CliRunner(seismo.Url, key);
        Assert.Equal(0, await filtered.RunAsync("flaky", "--min-score", minScore));
        var expectedTitles = (await ListAsync(project, "&minScore=" + minScore)).GetProperty("data").EnumerateArray()
            .Select(r => r.GetProperty("testTitle").GetString()!).ToList();
        Assert.Contains("retries", expectedTitles);
        Assert.DoesNotContain("holds", expectedTitles);
        Assert.Equal(expectedTitles.Count + 2, filtered.Out.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("holds", filtered.Out.Text);

        var refused = new CliRunner(seismo.Url, key);
        Assert.Equal(1, await refused.RunAsync("flaky", "--min-score", "2"));
        Assert.Contains("minScore", refused.Error.Text);
    }

    [Fact]
    public async Task Tail_prints_the_projects_events_as_they_happen()
    {
        var (project, key) = await seismo.Factory.CreateProjectAsync("tail");
        var tail = new CliRunner(seismo.Url, key);
        var following = tail.RunAsync("tail", "--type", "run.failed", "--type", "test.quarantined", "--count", "2");
        await tail.Out.WaitForAsync("Following the events");

        var runner = new CliRunner(seismo.Url, key);
        Assert.Equal(1, await runner.RunAsync(["run", "--junit", "junit.xml", "--",
            .. Junit.Command("junit.xml", Junit.Report(("com.acme.ShipTest", "sails", "failed"), ("com.acme.ShipTest", "floats", "passed")), 1)]));
        await tail.Out.WaitForAsync("run.failed");
        await seismo.Factory.DrainAsync();
        var tests = await seismo.Factory.Admin().GetFromJsonAsync<JsonElement>($"/api/tests?projectId={project}&search=sails");
        var testId = tests.GetProperty("data")[0].GetProperty("testId").GetString();
        (await seismo.Factory.Admin().PostAsJsonAsync("/api/flakiness", new { testId, projectId = project, isQuarantined = true })).EnsureSuccessStatusCode();

        Assert.Equal(0, await following.WaitAsync(TimeSpan.FromSeconds(30)));
        var lines = tail.Out.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^\d\d:\d\d:\d\d #\d+ run\.failed run \S+ failed: 1 passed, 1 failed, 0 skipped, 0 flaky of 2", lines[1]);
        Assert.Matches(@"^\d\d:\d\d:\d\d #\d+ test\.quarantined sails quarantined by key:", lines[2]);
    }

    private async Task<JsonElement> ListAsync(Guid project, string query) =>
        await seismo.Factory.Admin().GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={project}{query}");

    private static async Task<T> UntilAsync<T>(Func<Task<T?>> probe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (await probe() is { } found && !found.Equals(default(T))) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not become true within 20 s");
            await Task.Delay(50);
        }
    }
}
