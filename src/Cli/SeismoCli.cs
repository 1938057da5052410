using System.CommandLine;
using Seismo.Cli.Commands;
using Seismo.Cli.Hosting;
using Seismo.Cli.Http;
using Seismo.Cli.Run;
using Seismo.Cli.Upload;

namespace Seismo.Cli;

/// <summary>The <c>seismo</c> command line: run, upload, flaky, tail. Exit codes: run passes the command's own through;
/// the others give 0 on success, 1 when Seismo refuses or cannot be reached, 2 for a usage or configuration error.</summary>
public static class SeismoCli
{
    public const int Refused = 1;
    public const int UsageError = 2;

    public static Task<int> RunAsync(string[] args, CliHost host, CancellationToken ct = default)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("Seismo from the command line: report CI test runs, upload reports, list flaky tests, follow live events.")
        {
            global.Url, global.Token, global.Project, global.Plain,
        };
        root.Add(RunCommand(host, global));
        root.Add(UploadCommand(host, global));
        root.Add(FlakyCommand(host, global));
        root.Add(TailCommand(host, global));
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = host.Out, Error = host.Error }, ct);
    }

    private static Option<int> RetryMaxWait() => new("--retry-max-wait")
    {
        Description = "Longest wait in seconds for one retry of a 429 or 503 (Retry-After included); a longer one gives up",
        DefaultValueFactory = _ => 120,
    };

    private static Command RunCommand(CliHost host, GlobalOptions global)
    {
        var junit = new Option<string[]>("--junit") { Description = "Glob of JUnit XML reports the command writes (repeatable): 'test-results/**/*.xml'" };
        var tags = new Option<string[]>("--tag") { Description = "Tag for the observation (repeatable)" };
        var quarantine = new Option<bool>("--quarantine") { Description = "Exit 0 when every failing test is quarantined in Seismo" };
        var user = new Option<string>("--user") { Description = "Execution context for command.json's user (default: github-ci, gitlab-ci, … or local-dev)" };
        var passEnv = new Option<string[]>("--pass-env") { Description = "Also send this environment variable (repeatable; secrets are masked)" };
        var retryMaxWait = RetryMaxWait();
        var command = new Argument<string[]>("command") { Description = "The command to run, after --", Arity = ArgumentArity.OneOrMore };
        var run = new Command("run", "Run a command, stream its output, report it to Seismo's /collect and exit with its exit code")
        {
            junit, tags, quarantine, user, passEnv, retryMaxWait, command,
        };
        run.SetAction(async (parse, ct) =>
        {
            var (console, settings, error) = Setup(parse, host, global);
            if (error is not null) return Usage(console, error);
            var options = new RunOptions(parse.GetValue(command)!, parse.GetValue(junit) ?? [], parse.GetValue(tags) ?? [],
                parse.GetValue(quarantine), parse.GetValue(user), parse.GetValue(passEnv) ?? []);
            return await new RunCommand(host, console, settings, Retry(parse.GetValue(retryMaxWait))).ExecuteAsync(options, ct);
        });
        return run;
    }

    private static Command UploadCommand(CliHost host, GlobalOptions global)
    {
        var path = new Argument<string>("path") { Description = "An allure-results or JUnit reports folder, or a .zip of one" };
        var env = new Option<string>("--env") { Description = "Environment id", Required = true };
        var build = new Option<string>("--build") { Description = "Build id (the CI run)", Required = true };
        var chunkMb = new Option<int>("--chunk-size") { Description = "Chunk size in MB for the chunked upload", DefaultValueFactory = _ => 8 };
        var chunkedAboveMb = new Option<int>("--chunked-above")
        {
            Description = "Upload in resumable chunks when the zip is larger than this many MB (0: always)", DefaultValueFactory = _ => 16,
        };
        var retryMaxWait = RetryMaxWait();
        var upload = new Command("upload", "Zip allure-results or JUnit reports and upload them, resumably when large, with live progress")
        {
            path, env, build, chunkMb, chunkedAboveMb, retryMaxWait,
        };
        upload.SetAction((parse, ct) => WithClient(parse, host, global, ct, requireProject: true, (console, client) =>
            new UploadCommand(host, console, client).ExecuteAsync(new UploadOptions(parse.GetValue(path)!, parse.GetValue(env)!,
                client.Settings.Project!, parse.GetValue(build)!, parse.GetValue(chunkMb) * 1024L * 1024,
                parse.GetValue(chunkedAboveMb) * 1024L * 1024), ct),
            parse.GetValue(retryMaxWait)));
        return upload;
    }

    private static Command FlakyCommand(CliHost host, GlobalOptions global)
    {
        var minScore = new Option<double?>("--min-score") { Description = "Only tests scoring at least this (0 to 1)" };
        var quarantined = new Option<bool>("--quarantined") { Description = "Only quarantined tests" };
        var limit = new Option<int?>("--limit") { Description = "At most this many rows (1 to 500)" };
        var flaky = new Command("flaky", "The project's tests by flakiness score, highest first") { minScore, quarantined, limit };
        flaky.SetAction((parse, ct) => WithClient(parse, host, global, ct, requireProject: false, (console, client) =>
            new FlakyCommand(console, client).ExecuteAsync(parse.GetValue(minScore), parse.GetValue(quarantined), parse.GetValue(limit), ct)));
        return flaky;
    }

    private static Command TailCommand(CliHost host, GlobalOptions global)
    {
        var types = new Option<string[]>("--type") { Description = "Only events of this type (repeatable): run.completed, run.failed, test.status_changed, test.quarantined, …" };
        var since = new Option<long?>("--since") { Description = "Replay from after this event sequence number first" };
        var count = new Option<int?>("--count") { Description = "Stop after this many events" };
        var tail = new Command("tail", "Follow the project's live events") { types, since, count };
        tail.SetAction((parse, ct) => WithClient(parse, host, global, ct, requireProject: false, (console, client) =>
            new TailCommand(console, client).ExecuteAsync(parse.GetValue(types) ?? [], parse.GetValue(since), parse.GetValue(count), ct)));
        return tail;
    }

    private static (CliConsole Console, SeismoSettings Settings, string? Error) Setup(ParseResult parse, CliHost host, GlobalOptions global)
    {
        var console = new CliConsole(host, parse.GetValue(global.Plain));
        var settings = SeismoSettings.Resolve(host, parse.GetValue(global.Url), parse.GetValue(global.Token), parse.GetValue(global.Project), out var error);
        return (console, settings, error);
    }

    private static async Task<int> WithClient(ParseResult parse, CliHost host, GlobalOptions global, CancellationToken ct, bool requireProject,
        Func<CliConsole, SeismoClient, Task<int>> action, int retryMaxWaitSeconds = 120)
    {
        var (console, settings, error) = Setup(parse, host, global);
        error ??= settings.Token is null ? "no API key: pass --token or set SEISMO_TOKEN" : null;
        error ??= requireProject && settings.Project is null ? "no project: pass --project or set SEISMO_PROJECT" : null;
        if (error is not null) return Usage(console, error);
        using var client = new SeismoClient(settings, console, Retry(retryMaxWaitSeconds));
        try
        {
            return await action(console, client);
        }
        catch (SeismoApiException e)
        {
            console.Fail(e.Message);
            return Refused;
        }
        catch (HttpRequestException e)
        {
            console.Fail($"could not reach Seismo at {settings.Url}: {e.Message}");
            return Refused;
        }
    }

    private static RetryPolicy Retry(int maxWaitSeconds) => new() { MaxWait = TimeSpan.FromSeconds(Math.Max(0, maxWaitSeconds)) };

    private static int Usage(CliConsole console, string error)
    {
        console.Fail(error);
        return UsageError;
    }

    /// <summary>Options every command takes (made per invocation: a System.CommandLine symbol belongs to its command tree).</summary>
    private sealed class GlobalOptions
    {
        public Option<string> Url { get; } = new("--url") { Description = "Seismo's base URL (default: SEISMO_URL, else " + SeismoSettings.DefaultUrl + ")", Recursive = true };
        public Option<string> Token { get; } = new("--token") { Description = "API key (default: SEISMO_TOKEN)", Recursive = true };
        public Option<string> Project { get; } = new("--project") { Description = "Project id or slug (default: SEISMO_PROJECT; not needed with a project key)", Recursive = true };
        public Option<bool> Plain { get; } = new("--plain") { Description = "Plain lines even on a terminal (no colour, tables drawn with spaces, no live bars)", Recursive = true };
    }
}
