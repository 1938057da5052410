using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Cli.Tests.Support;
using Seismo.Tests.Support;

namespace Seismo.Cli.Tests;

/// <summary>
/// <c>seismo run --quarantine</c>: a failed command is forgiven only when every failing test is quarantined in Seismo,
/// by the list read at start and kept current by the project's event stream while the command runs.
/// </summary>
public sealed class CliQuarantineTests(SeismoHost seismo) : IClassFixture<SeismoHost>
{
    private static readonly (string, string, string) Adds = ("com.acme.CartTest", "adds", "failed");
    private static readonly (string, string, string) Removes = ("com.acme.CartTest", "removes", "failed");
    private static readonly (string, string, string) Totals = ("com.acme.CartTest", "totals", "passed");

    [Fact]
    public async Task A_run_whose_every_failure_is_quarantined_exits_0_and_names_what_it_forgave()
    {
        var (project, key) = await SeededProjectAsync("q-forgive");
        await QuarantineAsync(project, "adds");

        var onlyQuarantined = new CliRunner(seismo.Url, key);
        var code = await onlyQuarantined.RunAsync(["run", "--quarantine", "--junit", "junit.xml", "--",
            .. Junit.Command("junit.xml", Junit.Report(Adds, ("com.acme.CartTest", "removes", "passed"), Totals), 1)]);
        Assert.Equal(0, code);
        Assert.Contains("forgave 1 quarantined failure(s); exit code 1 becomes 0", onlyQuarantined.Out.Text);
        Assert.Contains("com.acme.CartTest › adds", onlyQuarantined.Out.Text);

        var another = new CliRunner(seismo.Url, key);
        code = await another.RunAsync(["run", "--quarantine", "--junit", "junit.xml", "--", .. Junit.Command("junit.xml", Junit.Report(Adds, Removes, Totals), 1)]);
        Assert.Equal(1, code);
        Assert.Contains("1 of 2 failing test(s) are not quarantined", another.Out.Text);
        Assert.Contains("com.acme.CartTest › removes", another.Out.Text);

        // A failed command whose reports show no failing test failed for another reason (a build error): not forgiven.
        var noFailures = new CliRunner(seismo.Url, key);
        code = await noFailures.RunAsync(["run", "--quarantine", "--junit", "junit.xml", "--", .. Junit.Command("junit.xml", Junit.Report(Totals), 2)]);
        Assert.Equal(2, code);
        Assert.Contains("reports name no failing test", noFailures.Error.Text);

        // Without --quarantine the exit code is the command's.
        var plain = new CliRunner(seismo.Url, key);
        Assert.Equal(1, await plain.RunAsync(["run", "--junit", "junit.xml", "--",
            .. Junit.Command("junit.xml", Junit.Report(Adds, ("com.acme.CartTest", "removes", "passed")), 1)]));
    }

    [Fact]
    public async Task A_test_quarantined_while_the_command_runs_counts()
    {
        var (project, key) = await SeededProjectAsync("q-midrun");
        await QuarantineAsync(project, "adds");
        var cli = new CliRunner(seismo.Url, key);
        // The command writes its report, then waits until the test lets it finish.
        var run = cli.RunAsync(["run", "--quarantine", "--junit", "junit.xml", "--",
            .. Junit.Command("junit.xml", Junit.Report(Adds, Removes, Totals), 1, "while [ ! -f go ]; do sleep 0.05; done")]);

        await cli.Out.WaitForAsync("1 test(s) quarantined in Seismo; following changes");
        await cli.Out.WaitForAsync("tests ran");
        await QuarantineAsync(project, "removes");
        await cli.Out.WaitForAsync("removes was quarantined by a person while the command ran");
        await File.WriteAllTextAsync(cli.PathOf("go"), "");

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("forgave 2 quarantined failure(s)", cli.Out.Text);

        // Released again: the next run's failure of that test stands.
        await QuarantineAsync(project, "removes", quarantined: false);
        var after = new CliRunner(seismo.Url, key);
        Assert.Equal(1, await after.RunAsync(["run", "--quarantine", "--junit", "junit.xml", "--",
            .. Junit.Command("junit.xml", Junit.Report(Adds, Removes, Totals), 1)]));
    }

    /// <summary>A project whose tests exist in Seismo (a run reported them), with its project key.</summary>
    private async Task<(Guid Project, string Key)> SeededProjectAsync(string name)
    {
        var (project, key) = await seismo.Factory.CreateProjectAsync(name);
        var seed = new CliRunner(seismo.Url, key);
        Assert.Equal(1, await seed.RunAsync(["run", "--junit", "junit.xml", "--", .. Junit.Command("junit.xml", Junit.Report(Adds, Removes, Totals), 1)]));
        await seismo.Factory.Admin().WaitProcessedAsync(CliRunTests.ObservationId(seed));
        await seismo.Factory.DrainAsync();
        return (project, key);
    }

    private async Task QuarantineAsync(Guid project, string title, bool quarantined = true)
    {
        var admin = seismo.Factory.Admin();
        var tests = await admin.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={project}&search={title}");
        var testId = tests.GetProperty("data").EnumerateArray().Single(t => t.GetProperty("title").GetString() == title).GetProperty("testId").GetString();
        var response = await admin.PostAsJsonAsync("/api/flakiness", new { testId, projectId = project, isQuarantined = quarantined });
        response.EnsureSuccessStatusCode();
    }
}
