using System.Diagnostics;
using Seismo.Cli.Tests.Support;
using Seismo.Tests.Support;

namespace Seismo.Cli.Tests;

/// <summary>Plain lines when the output is not a terminal (CI logs); tables and colour when it is.</summary>
public sealed class CliOutputTests(SeismoHost seismo) : IClassFixture<SeismoHost>
{
    [Fact]
    public async Task The_real_executable_writes_plain_lines_to_a_pipe()
    {
        var (_, key) = await SeededAsync("output-pipe");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "seismo.dll"), "flaky" }) start.ArgumentList.Add(arg);
        start.Environment["SEISMO_URL"] = seismo.Url.ToString();
        start.Environment["SEISMO_TOKEN"] = key;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(process.ExitCode == 0, await stderr);
        var text = await stdout;
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain("│", text);
        Assert.Matches(@"(?m)^Score\s+Label\s+Runs", text);
        Assert.Matches(@"(?m)^\d\.\d{3}\s+\w+\s+1\s+0\s+-\s+no\s+passes$", text);
    }

    [Fact]
    public async Task A_terminal_gets_a_drawn_table_and_plain_forces_lines()
    {
        var (_, key) = await SeededAsync("output-terminal");
        var terminal = new CliRunner(seismo.Url, key, terminal: true);
        Assert.Equal(0, await terminal.RunAsync("flaky"));
        Assert.Contains("│", terminal.Out.Text);
        Assert.Contains("passes", terminal.Out.Text);

        var forced = new CliRunner(seismo.Url, key, terminal: true);
        Assert.Equal(0, await forced.RunAsync("flaky", "--plain"));
        Assert.DoesNotContain("│", forced.Out.Text);
        Assert.DoesNotContain('\u001b', forced.Out.Text);
        Assert.Matches(@"(?m)^Score\s+Label\s+Runs", forced.Out.Text);
    }

    [Fact]
    public async Task Usage_and_configuration_errors_are_clear()
    {
        var noKey = new CliRunner(seismo.Url, "");
        noKey.Environment.Remove("SEISMO_TOKEN");
        Assert.Equal(2, await noKey.RunAsync("flaky"));
        Assert.Contains("no API key: pass --token or set SEISMO_TOKEN", noKey.Error.Text);

        var badUrl = new CliRunner(seismo.Url, "k");
        Assert.Equal(2, await badUrl.RunAsync("tail", "--url", "ftp://example"));
        Assert.Contains("not an absolute http(s) URL", badUrl.Error.Text);

        var wrongKey = new CliRunner(seismo.Url, "smo_not_a_key");
        Assert.Equal(1, await wrongKey.RunAsync("flaky"));
        Assert.Contains("401", wrongKey.Error.Text);

        var noCommand = new CliRunner(seismo.Url, "k");
        Assert.NotEqual(0, await noCommand.RunAsync("run"));
        Assert.Contains("command", noCommand.Error.Text);
    }

    private async Task<(Guid Project, string Key)> SeededAsync(string name)
    {
        var (project, key) = await seismo.Factory.CreateProjectAsync(name);
        var seed = new CliRunner(seismo.Url, key);
        Assert.Equal(0, await seed.RunAsync(["run", "--junit", "junit.xml", "--", .. Junit.Command("junit.xml", Junit.Report(("a.Sum", "passes", "passed")), 0)]));
        await seismo.Factory.Admin().WaitProcessedAsync(CliRunTests.ObservationId(seed));
        await seismo.Factory.DrainAsync();
        return (project, key);
    }
}
