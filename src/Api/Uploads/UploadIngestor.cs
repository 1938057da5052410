using Microsoft.Extensions.Options;
using Seismo.Api.Ingest;
using Seismo.Domain.Identity;
using Seismo.Domain.Uploads;
using Seismo.Grains;
using Seismo.Grains.Hosting;
using Seismo.Grains.Uploads;

namespace Seismo.Api.Uploads;

/// <summary>Who and where an upload is for.</summary>
public sealed record UploadTarget(Guid SessionId, ProjectInfo Project, string EnvId, string BuildId, Guid KeyId);

/// <summary>The outcome of processing a received zip.</summary>
public abstract record UploadOutcome
{
    public sealed record Stored(UploadSession Session) : UploadOutcome;
    public sealed record Refused(string Reason, string Message, UploadSession? Session) : UploadOutcome;
}

/// <summary>
/// From a received zip to stored results: check and extract the zip, read its Allure and JUnit results, submit them
/// as one run through the project's write path (the same as /collect: <see cref="IProjectGrain.AcceptRunAsync"/> then
/// the fan-out), record the build and queue its report. Any refusal before the run is stored leaves nothing behind:
/// the extracted files are removed, the build id is released and the session fails with the reason.
/// </summary>
public sealed class UploadIngestor(
    IGrainFactory grains,
    RunFanOut fanOut,
    IOptions<SeismoOptions> seismo,
    IOptions<UploadOptions> options,
    TimeProvider clock,
    ILogger<UploadIngestor> logger)
{
    public const string Source = "upload";

    public ZipLimits Limits => new()
    {
        MaxEntries = options.Value.MaxEntries,
        MaxUncompressedBytes = options.Value.MaxUncompressedBytes,
        MaxCompressionRatio = options.Value.MaxCompressionRatio,
    };

    public async Task<UploadOutcome> IngestAsync(UploadTarget target, string zipPath, CancellationToken ct)
    {
        var session = grains.GetGrain<IUploadSessionGrain>(target.SessionId);
        var dataDir = seismo.Value.DataDir;
        var staging = Path.Combine(DataPaths.Builds(dataDir, target.Project.Id), $".{target.BuildId}.{target.SessionId:N}.tmp");
        var stored = false;
        AcceptedRun? accepted = null;
        try
        {
            await session.ReportAsync(new UploadProgress(Phase: UploadPhases.Assembling));
            IReadOnlyList<string> files;
            UploadContents contents;
            try
            {
                DataPaths.TryDeleteDirectory(staging);
                files = ZipGuard.Extract(zipPath, staging, Limits);
                await session.ReportAsync(new UploadProgress(FilesExtracted: files.Count));
                contents = UploadResults.Read(staging);
                if (contents.Results.Length == 0)
                    throw new ZipRejectedException("no_results", "The zip holds no Allure results (*-result.json) and no JUnit XML reports.");
            }
            catch (ZipRejectedException e)
            {
                return await RefuseAsync(target, e.Reason, e.Message, staging);
            }

            var final = DataPaths.Build(dataDir, target.Project.Id, target.BuildId);
            DataPaths.TryDeleteDirectory(final);
            Directory.Move(staging, final);
            accepted = await grains.GetGrain<IProjectGrain>(target.Project.Id).AcceptRunAsync(new RunSubmission(Metadata(target, contents), contents.Results));
            stored = true;

            var builds = grains.GetGrain<IBuildsGrain>(target.Project.Id);
            await builds.RecordIngestAsync(new BuildIngested(target.BuildId, target.SessionId, accepted.Run.Metadata.Id, contents.Counts, final));
            var report = await builds.RequestReportAsync(target.BuildId, target.EnvId, null);
            var url = DataPaths.ReportUrl(target.EnvId, target.Project.Id, target.BuildId);
            var updated = report == ReportRequestOutcome.Queued
                ? await session.ReportAsync(new UploadProgress(Phase: UploadPhases.Generating, TestsParsed: contents.Results.Length,
                    Report: new UploadReport(ReportStatuses.Generating, url, null)))
                : await session.ReportAsync(new UploadProgress(Phase: UploadPhases.Done, TestsParsed: contents.Results.Length,
                    Report: new UploadReport(ReportStatuses.Failed, null, "the report could not be queued")));
            DataPaths.TryDeleteDirectory(DataPaths.Upload(dataDir, target.SessionId));
            return new UploadOutcome.Stored(updated!);
        }
        catch (Exception e) when (!stored)
        {
            logger.LogError(e, "Upload {Session} failed before its results were stored", target.SessionId);
            await RefuseAsync(target, "internal_error", "the upload could not be stored: " + e.Message, staging);
            throw;
        }
        finally
        {
            // After the session's bookkeeping: activating every test grain queues storage reads the bookkeeping would wait behind.
            if (accepted is not null) fanOut.Start(accepted);
        }
    }

    private async Task<UploadOutcome> RefuseAsync(UploadTarget target, string reason, string message, string staging)
    {
        DataPaths.TryDeleteDirectory(staging);
        DataPaths.TryDeleteDirectory(DataPaths.Upload(seismo.Value.DataDir, target.SessionId));
        await grains.GetGrain<IBuildsGrain>(target.Project.Id).ReleaseAsync(target.BuildId, target.SessionId);
        var session = await grains.GetGrain<IUploadSessionGrain>(target.SessionId)
            .ReportAsync(new UploadProgress(Phase: UploadPhases.Failed, Error: $"{reason}: {message}"));
        return new UploadOutcome.Refused(reason, message, session);
    }

    private RunMetadata Metadata(UploadTarget target, UploadContents contents)
    {
        var now = clock.GetUtcNow();
        var runGuid = Guid.NewGuid();
        DateTimeOffset? executed = contents.StartedAtMs is { } ms && ms > 0 && ms < 32503680000000 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        var tags = new List<string> { "upload" };
        if (contents.AllureResults > 0) tags.Add("allure");
        if (contents.JunitReports > 0) tags.Add("junit");
        return new RunMetadata(runGuid, PublicIds.ObservationId(now, runGuid), target.Project.Id, target.Project.AccountId, target.KeyId, Source, now,
            executed, [], null, null, contents.DurationMs, [.. tags],
            new Dictionary<string, string> { ["SEISMO_ENVIRONMENT"] = target.EnvId, ["SEISMO_BUILD_ID"] = target.BuildId, ["SEISMO_UPLOAD_ID"] = target.SessionId.ToString("N") },
            new CiContext(null, null, null, target.BuildId, null, null, null), null, null);
    }
}
