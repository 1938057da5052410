using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seismo.Grains.Hosting;
using Seismo.Grains.Live;

namespace Seismo.Grains.Reports;

[GenerateSerializer]
public sealed class BuildRecord
{
    [Id(0)] public string BuildId { get; set; } = "";
    [Id(1)] public Guid SessionId { get; set; }
    [Id(2)] public bool Ingested { get; set; }
    [Id(3)] public string? RunId { get; set; }
    [Id(4)] public BuildCounts Counts { get; set; } = BuildCounts.Zero;
    [Id(5)] public string? ResultsPath { get; set; }
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
    [Id(7)] public string? EnvId { get; set; }
    [Id(8)] public string ReportStatus { get; set; } = ReportStatuses.None;
    [Id(9)] public string? ReportError { get; set; }
    [Id(10)] public DateTimeOffset? RequestedAt { get; set; }
    [Id(11)] public DateTimeOffset? StartedAt { get; set; }
    [Id(12)] public DateTimeOffset? FinishedAt { get; set; }
    [Id(13)] public long Attempt { get; set; }
    /// <summary>The upload session waits for this report before it is done.</summary>
    [Id(14)] public bool SessionWaits { get; set; }
}

[GenerateSerializer]
public sealed class BuildsState
{
    [Id(0)] public Dictionary<string, BuildRecord> Builds { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public long Passed { get; set; }
    [Id(2)] public long Failed { get; set; }
    [Id(3)] public long Broken { get; set; }
    [Id(4)] public long Skipped { get; set; }
    [Id(5)] public long Flaky { get; set; }
    [Id(6)] public int IngestedBuilds { get; set; }
    [Id(7)] public int ReportsReady { get; set; }
    [Id(8)] public int ReportsFailed { get; set; }
}


/// <summary>
/// A project's builds: build ids taken once, results recorded with their counts (the stats are counters kept on
/// write), and each build's Allure report queued, tracked, announced and deleted.
/// </summary>
public sealed class BuildsGrain(
    [PersistentState("builds", SeismoSiloHosting.StorageName)] IPersistentState<BuildsState> state,
    IOptions<SeismoOptions> seismo,
    ReportGenerator generator,
    TimeProvider clock,
    ILogger<BuildsGrain> logger) : Grain, IBuildsGrain
{
    private Dictionary<string, BuildRecord> Builds => state.State.Builds;
    private Guid ProjectId => this.GetPrimaryKey();

    public async Task<bool> ReserveAsync(string buildId, Guid sessionId)
    {
        if (Builds.TryGetValue(buildId, out var existing)) return existing.SessionId == sessionId && !existing.Ingested;
        Builds[buildId] = new BuildRecord { BuildId = buildId, SessionId = sessionId, CreatedAt = clock.GetUtcNow() };
        await state.WriteStateAsync();
        return true;
    }

    public async Task ReleaseAsync(string buildId, Guid sessionId)
    {
        if (!Builds.TryGetValue(buildId, out var build) || build.SessionId != sessionId || build.Ingested) return;
        Builds.Remove(buildId);
        await state.WriteStateAsync();
    }

    public async Task RecordIngestAsync(BuildIngested ingested)
    {
        if (!Builds.TryGetValue(ingested.BuildId, out var build) || build.Ingested) return;
        build.Ingested = true;
        build.RunId = ingested.RunId;
        build.Counts = ingested.Counts;
        build.ResultsPath = ingested.ResultsPath;
        build.SessionWaits = true;
        Count(ingested.Counts, +1);
        state.State.IngestedBuilds++;
        await state.WriteStateAsync();
    }

    public async Task<ReportRequestOutcome> RequestReportAsync(string buildId, string envId, string? configJson)
    {
        if (!Builds.TryGetValue(buildId, out var build) || !build.Ingested || build.ResultsPath is null) return ReportRequestOutcome.UnknownBuild;
        if (build.ReportStatus is ReportStatuses.Pending or ReportStatuses.Generating) return ReportRequestOutcome.AlreadyGenerating;
        // A report regenerated under another environment leaves the old one behind otherwise.
        if (build.EnvId is { } oldEnv && oldEnv != envId) DataPaths.TryDeleteDirectory(DataPaths.Report(seismo.Value.DataDir, oldEnv, ProjectId, buildId));
        SetReportStatus(build, ReportStatuses.Generating);
        build.EnvId = envId;
        build.ReportError = null;
        build.RequestedAt = build.StartedAt = clock.GetUtcNow();
        build.FinishedAt = null;
        build.Attempt++;
        await state.WriteStateAsync();
        var project = await GrainFactory.GetGrain<IProjectGrain>(ProjectId).GetAsync();
        generator.Enqueue(new ReportJob(ProjectId, buildId, build.Attempt, envId, build.ResultsPath,
            $"{project?.Name ?? "Project"} · build {buildId}", configJson));
        return ReportRequestOutcome.Queued;
    }

    public async Task ReportFinishedAsync(string buildId, long attempt, ReportGenerationOutcome outcome)
    {
        if (!Builds.TryGetValue(buildId, out var build) || build.Attempt != attempt || build.ReportStatus != ReportStatuses.Generating) return;
        SetReportStatus(build, outcome.Ready ? ReportStatuses.Ready : ReportStatuses.Failed);
        build.ReportError = outcome.Ready ? null : outcome.Error ?? "report generation failed";
        build.FinishedAt = clock.GetUtcNow();
        var notifySession = build.SessionWaits;
        build.SessionWaits = false;
        await state.WriteStateAsync();

        var report = ToReport(build);
        try { await AnnounceAsync(build, report); }
        catch (Exception e) { logger.LogWarning(e, "Report of build {Build} in project {Project}: notification not raised", buildId, ProjectId); }
        if (notifySession)
        {
            await GrainFactory.GetGrain<IUploadSessionGrain>(build.SessionId)
                .ReportAsync(new UploadProgress(Phase: UploadPhases.Done, Report: new UploadReport(report.Status, report.Url, report.Error)));
        }
    }

    public Task<BuildReport[]> ListAsync() => Task.FromResult(Builds.Values.Where(b => b.Ingested)
        .OrderByDescending(b => b.CreatedAt).ThenBy(b => b.BuildId, StringComparer.Ordinal).Select(ToReport).ToArray());

    public Task<BuildStats> StatsAsync()
    {
        var s = state.State;
        var total = s.Passed + s.Failed + s.Broken + s.Skipped + s.Flaky;
        var ran = total - s.Skipped;
        var rate = ran == 0 ? 0 : Math.Round(100.0 * (s.Passed + s.Flaky) / ran, 2);
        return Task.FromResult(new BuildStats(s.IngestedBuilds, total, s.Passed, s.Failed, s.Broken, s.Skipped, s.Flaky, rate, s.ReportsReady, s.ReportsFailed));
    }

    public async Task<bool> DeleteReportAsync(string buildId)
    {
        if (!Builds.TryGetValue(buildId, out var build) || !build.Ingested) return false;
        if (build.EnvId is { } envId) DataPaths.TryDeleteDirectory(DataPaths.Report(seismo.Value.DataDir, envId, ProjectId, buildId));
        if (build.ResultsPath is { } results) DataPaths.TryDeleteDirectory(results);
        SetReportStatus(build, ReportStatuses.None);
        Count(build.Counts, -1);
        state.State.IngestedBuilds--;
        Builds.Remove(buildId);
        await state.WriteStateAsync();
        return true;
    }

    private async Task AnnounceAsync(BuildRecord build, BuildReport report)
    {
        var project = await GrainFactory.GetGrain<IProjectGrain>(ProjectId).GetAsync();
        if (project is null) return;
        var ready = report.Status == ReportStatuses.Ready;
        var payload = ready
            ? JsonSerializer.Serialize(new Dictionary<string, string?> { ["url"] = report.Url })
            : JsonSerializer.Serialize(new Dictionary<string, string?> { ["url"] = null, ["buildId"] = build.BuildId, ["error"] = report.Error });
        var draft = new NotificationDraft(ProjectId, NotificationCategory.Report,
            ready ? NotificationSeverity.Success : NotificationSeverity.Error,
            ready ? "Report ready" : "Report failed",
            ready ? $"The Allure report of build {build.BuildId} in {project.Name} is ready." : $"The Allure report of build {build.BuildId} in {project.Name} failed: {report.Error}",
            payload, $"report:{ProjectId:N}:{build.BuildId}:{build.Attempt}");
        var created = await GrainFactory.GetGrain<INotificationInboxGrain>(project.AccountId).RaiseAsync([draft]);
        if (created.Length > 0)
            await GrainFactory.GetGrain<IProjectGrain>(ProjectId).PublishAsync(EventTypes.NotificationCreated, [.. created.Select(EventJson.Of)]);
    }

    private BuildReport ToReport(BuildRecord b) => new(
        b.BuildId, b.EnvId, ProjectId.ToString(), b.RunId, b.SessionId == Guid.Empty ? null : b.SessionId.ToString("N"),
        b.ReportStatus, b.ReportStatus == ReportStatuses.Ready && b.EnvId is { } env ? DataPaths.ReportUrl(env, ProjectId, b.BuildId) : null,
        b.ReportError, b.Counts, b.CreatedAt, b.RequestedAt, b.StartedAt, b.FinishedAt);

    private void SetReportStatus(BuildRecord build, string status)
    {
        if (build.ReportStatus == ReportStatuses.Ready) state.State.ReportsReady--;
        if (build.ReportStatus == ReportStatuses.Failed) state.State.ReportsFailed--;
        build.ReportStatus = status;
        if (status == ReportStatuses.Ready) state.State.ReportsReady++;
        if (status == ReportStatuses.Failed) state.State.ReportsFailed++;
    }

    private void Count(BuildCounts c, int sign)
    {
        state.State.Passed += sign * c.Passed;
        state.State.Failed += sign * c.Failed;
        state.State.Broken += sign * c.Broken;
        state.State.Skipped += sign * c.Skipped;
        state.State.Flaky += sign * c.Flaky;
    }
}
