using System.Net.Http.Headers;
using System.Text;
using Seismo.Cli.Hosting;
using Seismo.Cli.Http;
using Seismo.Domain.Collect;
using Spectre.Console;

namespace Seismo.Cli.Run;

public sealed record RunOptions(
    IReadOnlyList<string> Command,
    IReadOnlyList<string> JunitPatterns,
    IReadOnlyList<string> Tags,
    bool Quarantine,
    string? User,
    IReadOnlyList<string> ExtraEnv);

/// <summary>
/// <c>seismo run</c>: runs the command, then reports it to <c>POST /collect</c> as one observation (command.json,
/// output.txt, the JUnit files as attachments) and exits with the command's own code. Seismo being unreachable or
/// refusing the report never changes that code; with <c>--quarantine</c>, a run whose every failing test is
/// quarantined exits 0.
/// </summary>
public sealed class RunCommand(CliHost host, CliConsole console, SeismoSettings settings, RetryPolicy retry)
{
    /// <summary>Characters of output kept for output.txt (under the contract's 16 MB even at 3 UTF-8 bytes each).</summary>
    public const int MaxOutputChars = 4 * 1024 * 1024;

    public async Task<int> ExecuteAsync(RunOptions options, CancellationToken ct)
    {
        var reporting = settings.Token is not null;
        if (!reporting)
            console.Warn("SEISMO_TOKEN is not set (nor --token): the command runs without reporting to Seismo");

        using var client = new SeismoClient(settings, console, retry);
        Guid? project = null;
        QuarantineWatch? watch = null;
        if (reporting)
        {
            try
            {
                project = await client.ResolveProjectAsync(ct);
                if (options.Quarantine)
                {
                    watch = await QuarantineWatch.StartAsync(client, project, console, ct);
                    console.Info($"seismo: {watch.Count} test(s) quarantined in Seismo; following changes while the command runs",
                        $"[blue]seismo:[/] {watch.Count} test(s) quarantined in Seismo; following changes while the command runs");
                }
            }
            catch (Exception e) when (e is SeismoApiException or HttpRequestException)
            {
                console.Warn((options.Quarantine ? "no quarantine list, so no failure will be forgiven: " : "") + e.Message);
            }
        }

        try
        {
            var result = await ChildProcess.RunAsync(options.Command, host, console, new OutputCapture(MaxOutputChars), ct);
            var reports = Attachments.Gather(options.JunitPatterns, host, result.StartedAt, console);
            if (reporting) await ReportAsync(client, project, options, result, reports, ct);
            return options.Quarantine && result.ExitCode != 0 ? Judge(result, reports, watch) : result.ExitCode;
        }
        finally
        {
            if (watch is not null) await watch.DisposeAsync();
        }
    }

    private async Task ReportAsync(SeismoClient client, Guid? project, RunOptions options, ChildResult result,
        List<(string Name, byte[] Content)> reports, CancellationToken ct)
    {
        var document = new CommandDocument(
            options.Command,
            options.User ?? CiEnvironmentCapture.User(host.Environment),
            result.ExitCode,
            (long)result.Duration.TotalMilliseconds,
            result.StartedAt,
            CiEnvironmentCapture.Capture(host.Environment, options.ExtraEnv),
            options.Tags);
        var archive = await CollectArchiveWriter.ToBytesAsync(CommandJsonWriter.ToUtf8(document), Encoding.UTF8.GetBytes(result.Output),
            reports.Select(r => KeyValuePair.Create(r.Name, (ReadOnlyMemory<byte>)r.Content)));

        var path = SeismoClient.Path("collect", ("projectId", project?.ToString()));
        try
        {
            using var response = await client.SendAsync(() =>
            {
                var file = new ByteArrayContent(archive);
                file.Headers.ContentType = new MediaTypeHeaderValue("application/zstd");
                return new HttpRequestMessage(HttpMethod.Post, path) { Content = new MultipartFormDataContent { { file, "archive", "artifacts.tar.zst" } } };
            }, "POST /collect", ct);
            var body = await SeismoClient.ReadJsonAsync(response, ct);
            var id = body.GetProperty("observation_id").GetString();
            console.Info($"seismo: reported observation {id} (exit code {result.ExitCode}, {reports.Count} report file(s))",
                $"[green]seismo:[/] reported observation [bold]{Markup.Escape(id ?? "")}[/] (exit code {result.ExitCode}, {reports.Count} report file(s))");
        }
        catch (SeismoApiException e)
        {
            console.Warn("the run was not reported: " + e.Message);
        }
    }

    /// <summary>Forgives a failed command when its reports name failing tests and every one of them is quarantined.</summary>
    private int Judge(ChildResult result, List<(string Name, byte[] Content)> reports, QuarantineWatch? watch)
    {
        if (watch is null) return result.ExitCode;
        var (failing, error) = FailingTests.Read(reports);
        if (error is not null)
        {
            console.Warn($"exit code {result.ExitCode} stands: a report could not be read ({error})");
            return result.ExitCode;
        }
        if (failing.Count == 0)
        {
            console.Warn($"exit code {result.ExitCode} stands: the command failed but its reports name no failing test");
            return result.ExitCode;
        }
        // One snapshot: the list may change while this is printed.
        var matches = failing.Select(f => (Test: f, Quarantine: watch.Find(f.KeyHashHex))).ToList();
        var notQuarantined = matches.Where(m => m.Quarantine is null).Select(m => m.Test).ToList();
        if (notQuarantined.Count > 0)
        {
            console.Info($"seismo: exit code {result.ExitCode} stands: {notQuarantined.Count} of {failing.Count} failing test(s) are not quarantined:",
                $"[red]seismo:[/] exit code {result.ExitCode} stands: {notQuarantined.Count} of {failing.Count} failing test(s) are not quarantined:");
            foreach (var f in notQuarantined) console.Info("  - " + f.Title);
            return result.ExitCode;
        }
        console.Info($"seismo: forgave {failing.Count} quarantined failure(s); exit code {result.ExitCode} becomes 0:",
            $"[green]seismo:[/] forgave {failing.Count} quarantined failure(s); exit code {result.ExitCode} becomes 0:");
        foreach (var (test, quarantine) in matches) console.Info($"  - {test.Title} ({quarantine!.TestId})");
        return 0;
    }
}
