using Microsoft.Extensions.Options;
using Seismo.Api.Ingest;
using Seismo.Domain.Identity;
using Seismo.Domain.Uploads;
using Seismo.Grains;
using Seismo.Grains.Hosting;
using Seismo.Grains.Uploads;

namespace Seismo.Api.Uploads;

/// <summary>Who and where an upload is for; <see cref="Admitted"/> when its observation was taken from the plan already.</summary>
public sealed record UploadTarget(Guid SessionId, ProjectInfo Project, string EnvId, string BuildId, Guid KeyId, bool Admitted = false);

/// <summary>The outcome of processing a received zip.</summary>
public abstract record UploadOutcome
{
    public sealed record Stored(UploadSession Session) : UploadOutcome;
    public sealed record Refused(string Reason, string Message, UploadSession? Session) : UploadOutcome;
    public sealed record NotAdmitted(AdmitDecision Admission, UploadSession? Session) : UploadOutcome;
}

/// <summary>
/// From a received zip to stored results: read the zip's Allure and JUnit results straight from it (checking every
/// entry), admit the run against the account's plan like a <c>/collect</c> observation, submit it through the
/// project's write path (<see cref="IProjectGrain.AcceptRunAsync"/> then the fan-out) and record the build. Only then,
/// in the background, is the zip extracted for the report and the report queued: the results are queryable without
/// waiting for thousands of files to be written. Any refusal before the run is stored leaves nothing behind.
/// </summary>
public sealed class UploadIngestor(
    IGrainFactory grains,
    RunFanOut fanOut,
    UploadProcessor processor,
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
        var account = grains.GetGrain<IAccountGrain>(target.Project.AccountId);
        var admitted = target.Admitted;
        var stored = false;
        AcceptedRun? accepted = null;
        try
        {
            await session.ReportAsync(new UploadProgress(Phase: UploadPhases.Assembling));
            UploadContents contents;
            try
            {
                contents = UploadResults.Read(zipPath, Limits);
                if (contents.Results.Length == 0)
                    throw new ZipRejectedException("no_results", "The zip holds no Allure results (*-result.json) and no JUnit XML reports.");
            }
            catch (ZipRejectedException e)
            {
                return await RefuseAsync(target, e.Reason, e.Message, admitted);
            }

            // Like /collect: a zip that is refused never counts; one that is stored counts as one observation.
            if (!admitted)
            {
                var admission = await account.AdmitObservationAsync();
                if (admission.Status != AdmitStatus.Admitted)
                {
                    var refused = await RefuseAsync(target, UploadAdmission.Reason(admission), UploadAdmission.Message(admission), false);
                    return new UploadOutcome.NotAdmitted(admission, refused.Session);
                }
                admitted = true;
            }

            accepted = await grains.GetGrain<IProjectGrain>(target.Project.Id)
                .AcceptRunAsync(new RunSubmission(Metadata(target, contents), contents.Results));
            stored = true;

            var final = DataPaths.Build(seismo.Value.DataDir, target.Project.Id, target.BuildId);
            await grains.GetGrain<IBuildsGrain>(target.Project.Id)
                .RecordIngestAsync(new BuildIngested(target.BuildId, target.SessionId, accepted.Run.Metadata.Id, contents.Counts, final));
            var updated = await session.ReportAsync(new UploadProgress(Phase: UploadPhases.Generating, FilesExtracted: contents.Files,
                TestsParsed: contents.Results.Length, Report: new UploadReport(ReportStatuses.Pending, DataPaths.ReportUrl(target.EnvId, target.Project.Id, target.BuildId), null)));
            // After the bookkeeping: activating every test grain queues storage reads ahead of the bookkeeping's writes.
            var sent = fanOut.Start(accepted);
            accepted = null;
            // Results first: writing thousands of files for the report would slow the fan-out that makes them queryable.
            processor.Start(target.SessionId, async _ =>
            {
                await sent;
                await ExtractForReportAsync(target, zipPath, final);
            });
            return new UploadOutcome.Stored(updated!);
        }
        catch (Exception e) when (!stored)
        {
            logger.LogError(e, "Upload {Session} failed before its results were stored", target.SessionId);
            await RefuseAsync(target, "internal_error", "the upload could not be stored: " + e.Message, admitted);
            throw;
        }
        finally
        {
            // Stored but the bookkeeping failed: the results still go to their test grains.
            if (accepted is not null) _ = fanOut.Start(accepted);
        }
    }

    /// <summary>
    /// Writes the zip's files where the report is generated from, then queues the report. The zip was checked whole
    /// already; if extracting still fails (disk full), the results stay stored and only the report fails.
    /// </summary>
    private async Task ExtractForReportAsync(UploadTarget target, string zipPath, string final)
    {
        var dataDir = seismo.Value.DataDir;
        var staging = Path.Combine(DataPaths.Builds(dataDir, target.Project.Id), $".{target.BuildId}.{target.SessionId:N}.tmp");
        var session = grains.GetGrain<IUploadSessionGrain>(target.SessionId);
        try
        {
            DataPaths.TryDeleteDirectory(staging);
            ZipGuard.Extract(zipPath, staging, Limits);
            DataPaths.TryDeleteDirectory(final);
            Directory.Move(staging, final);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ZipRejectedException)
        {
            logger.LogError(e, "Upload {Session}: the results are stored but could not be extracted for the report", target.SessionId);
            DataPaths.TryDeleteDirectory(staging);
            await PatientlyAsync(() => session.ReportAsync(new UploadProgress(Phase: UploadPhases.Done,
                Report: new UploadReport(ReportStatuses.Failed, null, "the results could not be extracted for the report: " + e.Message))));
            return;
        }
        DataPaths.TryDeleteDirectory(DataPaths.Upload(dataDir, target.SessionId));
        // Said before the request: the builds grain may finish the report (and the session) before the request returns.
        var url = DataPaths.ReportUrl(target.EnvId, target.Project.Id, target.BuildId);
        await PatientlyAsync(() => session.ReportAsync(new UploadProgress(Report: new UploadReport(ReportStatuses.Generating, url, null))));
        var report = await PatientlyAsync(() => grains.GetGrain<IBuildsGrain>(target.Project.Id).RequestReportAsync(target.BuildId, target.EnvId, null));
        // A report of this build already under way (requested by hand meanwhile) finishes the session itself.
        if (report == ReportRequestOutcome.UnknownBuild)
        {
            await PatientlyAsync(() => session.ReportAsync(new UploadProgress(Phase: UploadPhases.Done,
                Report: new UploadReport(ReportStatuses.Failed, null, "the build was deleted before its report could be generated"))));
        }
    }

    /// <summary>
    /// The report's bookkeeping writes grain state, which waits behind the storage reads of a large fan-out still
    /// activating test grains; a timed-out call is asked again (each of these calls may be repeated safely).
    /// </summary>
    private static async Task<T> PatientlyAsync<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await call(); }
            catch (TimeoutException) when (attempt < 10) { }
        }
    }

    private async Task<UploadOutcome.Refused> RefuseAsync(UploadTarget target, string reason, string message, bool refund)
    {
        DataPaths.TryDeleteDirectory(DataPaths.Upload(seismo.Value.DataDir, target.SessionId));
        if (refund) await grains.GetGrain<IAccountGrain>(target.Project.AccountId).RefundObservationAsync();
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
