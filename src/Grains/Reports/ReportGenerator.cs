using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seismo.Grains.Hosting;
using Seismo.Grains.Uploads;

namespace Seismo.Grains.Reports;

/// <summary>One report to generate: a build's results, where they go, and the client's config overrides.</summary>
public sealed record ReportJob(Guid ProjectId, string BuildId, long Attempt, string EnvId, string ResultsPath, string Name, string? ConfigJson);

/// <summary>
/// Runs <c>allure generate</c> in the background, a bounded number at a time, and tells the build's grain how it
/// ended. The report is written beside its final folder and moved in place when complete, so a served report is
/// never half-written.
/// </summary>
public sealed class ReportGenerator(
    IGrainFactory grains,
    IOptions<SeismoOptions> seismo,
    IOptions<AllureOptions> options,
    ILogger<ReportGenerator> logger) : BackgroundService
{
    private const int MaxStderrChars = 4000;
    private const int MaxResultFolders = 500;
    private readonly Channel<ReportJob> _jobs = Channel.CreateUnbounded<ReportJob>();

    public void Enqueue(ReportJob job) => _jobs.Writer.TryWrite(job);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Concurrency)).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    private async Task WorkAsync(CancellationToken ct)
    {
        await foreach (var job in _jobs.Reader.ReadAllAsync(ct))
        {
            ReportGenerationOutcome outcome;
            try { outcome = await GenerateAsync(job, ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                logger.LogWarning(e, "Report of build {Build} failed", job.BuildId);
                outcome = new ReportGenerationOutcome(false, "report generation failed: " + e.Message);
            }
            try { await grains.GetGrain<IBuildsGrain>(job.ProjectId).ReportFinishedAsync(job.BuildId, job.Attempt, outcome); }
            catch (Exception e) { logger.LogError(e, "Report of build {Build}: outcome not recorded", job.BuildId); }
        }
    }

    private async Task<ReportGenerationOutcome> GenerateAsync(ReportJob job, CancellationToken ct)
    {
        var dataDir = seismo.Value.DataDir;
        if (AllureCli.Locate(options.Value, dataDir) is not { } command)
        {
            return new ReportGenerationOutcome(false, "the Allure CLI is not installed: install it with PUT /api/settings/allure, set Seismo:Allure:Command, " +
                "or put 'allure' (npm package allure, 3.x) on the PATH");
        }
        var final = DataPaths.Report(dataDir, job.EnvId, job.ProjectId, job.BuildId);
        var projectReports = DataPaths.ProjectReports(dataDir, job.EnvId, job.ProjectId);
        var work = Path.Combine(projectReports, $".{job.BuildId}.{job.Attempt}.{Guid.NewGuid():N}");
        var output = Path.Combine(work, "report");
        Directory.CreateDirectory(work);
        try
        {
            var config = Path.Combine(work, "allurerc.json");
            await File.WriteAllTextAsync(config, MergedConfig(job, output, Path.Combine(projectReports, "history.jsonl")), ct);
            var folders = ResultFolders(job.ResultsPath);
            if (folders.Count == 0) return new ReportGenerationOutcome(false, "the build has no result files to build a report from");

            var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = work };
            foreach (var arg in (string[])["generate", "--config", config]) start.ArgumentList.Add(arg);
            foreach (var folder in folders) start.ArgumentList.Add(folder);
            start.Environment["NO_COLOR"] = "1";
            var (exit, stderr) = await RunAsync(start, options.Value.GenerateTimeout, ct);
            if (!File.Exists(Path.Combine(output, "index.html")))
                return new ReportGenerationOutcome(false, $"allure generate exited with {exit} and wrote no report: {stderr}".Trim());
            // A failed quality gate exits non-zero but still writes the report: it is served, the exit is logged.
            if (exit != 0) logger.LogInformation("allure generate for build {Build} exited with {Exit}: {Stderr}", job.BuildId, exit, stderr);
            DataPaths.TryDeleteDirectory(final);
            Directory.Move(output, final);
            return new ReportGenerationOutcome(true, null);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new ReportGenerationOutcome(false, $"the Allure CLI '{command}' could not be started: {e.Message}");
        }
        finally
        {
            DataPaths.TryDeleteDirectory(work);
        }
    }

    /// <summary>The client's allurerc over the base config; <c>output</c> and <c>historyPath</c> are always the server's.</summary>
    internal static string MergedConfig(ReportJob job, string output, string historyPath)
    {
        var config = new JsonObject { ["name"] = job.Name };
        if (job.ConfigJson is { } json && JsonNode.Parse(json) is JsonObject overrides) Merge(config, overrides);
        config["output"] = output;
        config["historyPath"] = historyPath;
        return config.ToJsonString();
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            if (value is JsonObject child && target[key] is JsonObject existing) Merge(existing, child);
            else target[key] = value?.DeepClone();
        }
    }

    /// <summary>Allure reads one folder level per argument, and uploads keep results at any depth: every folder holding results.</summary>
    private static List<string> ResultFolders(string root) => !Directory.Exists(root) ? [] :
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith("-result.json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            .Select(f => Path.GetDirectoryName(f)!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(MaxResultFolders).ToList();

    private static async Task<(int Exit, string Stderr)> RunAsync(ProcessStartInfo start, TimeSpan timeout, CancellationToken ct)
    {
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (stderr) { if (e.Data is not null && stderr.Length < MaxStderrChars) stderr.AppendLine(e.Data); } };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested) throw;
            return (-1, $"timed out after {timeout}");
        }
        lock (stderr) return (process.ExitCode, stderr.ToString().Trim());
    }
}
