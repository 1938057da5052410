using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Cli.Tests.Support;
using Seismo.Grains.Storage;
using Seismo.Tests.Support;
using ZstdSharp;

namespace Seismo.Cli.Tests;

/// <summary><c>seismo run</c> against a real Seismo on loopback: what it posts to /collect, and the exit code it gives back.</summary>
public sealed partial class CliRunTests(SeismoHost seismo) : IClassFixture<SeismoHost>
{
    [Fact]
    public async Task Run_reports_the_command_its_exit_code_output_and_junit_results()
    {
        var (project, key) = await seismo.Factory.CreateProjectAsync("run-report");
        var cli = new CliRunner(seismo.Url, key);
        var xml = Junit.Report(("com.acme.CartTest", "adds", "passed"), ("com.acme.CartTest", "removes", "failed"), ("com.acme.CartTest", "skips", "skipped"));

        var code = await cli.RunAsync(["run", "--junit", "reports/**/*.xml", "--tag", "unit", "--tag", "cart", "--",
            .. Junit.Command("reports/nested/junit.xml", xml, 3)]);

        Assert.Equal(3, code);
        Assert.Contains("tests ran", cli.Out.Text);
        var run = await ProcessedRunAsync(cli);
        Assert.Equal(project, run.GetProperty("projectId").GetGuid());
        Assert.Equal(3, run.GetProperty("returnCode").GetInt32());
        Assert.Equal("local-dev", run.GetProperty("user").GetString());
        Assert.Equal("sh", run.GetProperty("command")[0].GetString());
        Assert.Equal(["unit", "cart"], run.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(3, run.GetProperty("totalTests").GetInt32());
        Assert.Equal(1, run.GetProperty("passedTests").GetInt32());
        Assert.Equal(1, run.GetProperty("failedTests").GetInt32());
        Assert.Equal(1, run.GetProperty("skippedTests").GetInt32());
        Assert.Equal("failed", run.GetProperty("status").GetString());
        var output = await seismo.Factory.Admin().GetStringAsync($"/api/runs/{run.GetProperty("id").GetString()}/output");
        Assert.Contains("tests ran", output);
    }

    [Fact]
    public async Task Secrets_are_masked_before_the_archive_leaves_the_machine()
    {
        var (project, key) = await seismo.Factory.CreateProjectAsync("run-secrets");
        const string githubToken = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
        const string password = "correct-horse-battery-staple";
        const string apiKey = "sk_live_0123456789abcdefghijklmn";
        var cli = new CliRunner(seismo.Url, key, new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_SHA"] = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0",
            ["GITHUB_REF"] = "refs/heads/main",
            ["GITHUB_RUN_ID"] = "4242",
            ["GITHUB_TOKEN"] = githubToken,
            ["CI_DEPLOY_PASSWORD"] = password,
            ["DEPLOY_API_KEY"] = apiKey,
            ["CI_REGISTRY_URL"] = "https://deployer:s3cr3t-in-url@registry.example.com/",
            ["UNRELATED_LOCAL_SETTING"] = "not CI context",
        });

        var code = await cli.RunAsync("run", "--pass-env", "DEPLOY_API_KEY", "--", "sh", "-c", "echo done");

        Assert.Equal(0, code);
        var run = await ProcessedRunAsync(cli);
        Assert.Equal("github-ci", run.GetProperty("user").GetString());
        Assert.Equal("main", run.GetProperty("branch").GetString());
        Assert.Equal("4242", run.GetProperty("ciBuildId").GetString());

        // The archive as it arrived, before the server did anything with it.
        var runGuid = Guid.Parse(run.GetProperty("id").GetString()!.Split('_')[^1]);
        var stored = await seismo.Factory.Services.GetRequiredService<IRunStore>().ReadArchiveAsync(runGuid);
        var sent = Encoding.UTF8.GetString(new Decompressor().Unwrap(stored));
        foreach (var secret in new[] { githubToken, password, apiKey, "s3cr3t-in-url" }) Assert.DoesNotContain(secret, sent);
        Assert.Contains("\"GITHUB_TOKEN\": \"***\"", sent);
        Assert.Contains("\"DEPLOY_API_KEY\": \"***\"", sent);
        Assert.Contains("\"GITHUB_SHA\": \"a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0\"", sent);
        Assert.DoesNotContain("UNRELATED_LOCAL_SETTING", sent);
    }

    [Fact]
    public async Task The_exit_code_is_the_commands_own_whatever_happens_to_the_report()
    {
        var (_, key) = await seismo.Factory.CreateProjectAsync("run-exit");
        var cli = new CliRunner(seismo.Url, key);
        Assert.Equal(7, await cli.RunAsync("run", "--", "sh", "-c", "exit 7"));
        var run = await ProcessedRunAsync(cli);
        Assert.Equal(7, run.GetProperty("returnCode").GetInt32());

        var missing = new CliRunner(seismo.Url, key);
        Assert.Equal(127, await missing.RunAsync("run", "--", "seismo-test-no-such-command"));
        Assert.Contains("could not start 'seismo-test-no-such-command'", missing.Error.Text);
        Assert.Equal(127, (await ProcessedRunAsync(missing)).GetProperty("returnCode").GetInt32());

        // No key (a fork's pull request gets no secrets): the command still runs and decides the exit code.
        var noKey = new CliRunner(seismo.Url, "");
        noKey.Environment.Remove("SEISMO_TOKEN");
        Assert.Equal(5, await noKey.RunAsync("run", "--", "sh", "-c", "echo still runs; exit 5"));
        Assert.Contains("still runs", noKey.Out.Text);
        Assert.Contains("SEISMO_TOKEN is not set", noKey.Error.Text);

        // Seismo unreachable: reported as a warning, exit code unchanged.
        var down = new CliRunner(new Uri("http://127.0.0.1:9/"), key);
        Assert.Equal(4, await down.RunAsync("run", "--retry-max-wait", "0", "--", "sh", "-c", "exit 4"));
        Assert.Contains("the run was not reported", down.Error.Text);
    }

    [Fact]
    public async Task Reports_left_over_from_an_earlier_run_are_not_sent()
    {
        var (_, key) = await seismo.Factory.CreateProjectAsync("run-stale");
        var cli = new CliRunner(seismo.Url, key);
        var stale = cli.PathOf("reports/old.xml");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        await File.WriteAllTextAsync(stale, Junit.Report(("a.Old", "was", "failed")));
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow.AddHours(-1));
        var xml = Junit.Report(("a.New", "is", "passed"));

        Assert.Equal(0, await cli.RunAsync(["run", "--junit", "reports/*.xml", "--", .. Junit.Command("reports/new.xml", xml, 0)]));

        var run = await ProcessedRunAsync(cli);
        Assert.Equal(1, run.GetProperty("totalTests").GetInt32());
        Assert.Contains("not written during this run", cli.Error.Text);
    }

    internal static string ObservationId(CliRunner cli) =>
        ReportedId().Match(cli.Out.Text) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("not reported:\n" + cli.AllText);

    private async Task<JsonElement> ProcessedRunAsync(CliRunner cli)
    {
        var id = ObservationId(cli);
        var admin = seismo.Factory.Admin();
        Assert.Equal("processed", (await admin.WaitProcessedAsync(id)).GetProperty("status").GetString());
        return await admin.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
    }

    [GeneratedRegex(@"reported observation (\S+)")]
    private static partial Regex ReportedId();
}
