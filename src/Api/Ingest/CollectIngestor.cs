using Microsoft.Extensions.Options;
using Seismo.Domain.Collect;
using Seismo.Domain.Collect.Ci;
using Seismo.Domain.Identity;
using Seismo.Grains;
using Seismo.Grains.Hosting;
using Seismo.Grains.Storage;

namespace Seismo.Api.Ingest;

/// <summary>The outcome of one collect request, for the endpoint to turn into a status code.</summary>
public abstract record CollectOutcome
{
    public sealed record Accepted(RunSummary Run, AdmitDecision Admission) : CollectOutcome;
    public sealed record ArchiveRefused(CollectArchiveException Error) : CollectOutcome;
    public sealed record CommandRefused(CommandJsonResult Command) : CollectOutcome;
    public sealed record NotAdmitted(AdmitDecision Admission) : CollectOutcome;
}

/// <summary>
/// The collect write path: parse the stored upload, admit it against the account's plan and bucket, make the
/// archive and the run record durable (see <see cref="RunAcceptor"/>, which also starts the fan-out).
/// </summary>
public sealed class CollectIngestor(
    IGrainFactory grains,
    CollectParser parser,
    ArchiveStore archives,
    RunAcceptor acceptor,
    TimeProvider clock)
{
    /// <param name="archive">The upload, received whole; stored with the run, or committed into the archive store when too large to be held in memory.</param>
    public async Task<CollectOutcome> IngestAsync(ReceivedArchive archive, ProjectInfo project, Guid agentId, CancellationToken ct)
    {
        var receivedAt = clock.GetUtcNow();
        var committed = false;
        try
        {
            ParsedObservation parsed;
            try
            {
                await using var content = await archive.OpenReadAsync(ct);
                parsed = await parser.ParseAsync(content, ct);
            }
            catch (CollectArchiveException e)
            {
                return new CollectOutcome.ArchiveRefused(e);
            }
            if (!parsed.Command.IsValid) return new CollectOutcome.CommandRefused(parsed.Command);

            var account = grains.GetGrain<IAccountGrain>(project.AccountId);
            var admission = await account.AdmitObservationAsync();
            if (admission.Status != AdmitStatus.Admitted) return new CollectOutcome.NotAdmitted(admission);

            var runGuid = Guid.NewGuid();
            try
            {
                // An archive held in memory is stored with its run, in the run's transaction: one flush to disk for both.
                var inline = archive.InMemoryCopy();
                string? path = null;
                if (inline is null)
                {
                    path = archive.Commit(project.Id, runGuid);
                    committed = true;
                }
                var metadata = Metadata(parsed, project, agentId, runGuid, receivedAt, path, archiveInRunLog: inline is not null);
                var accepted = await acceptor.AcceptAsync(new RunSubmission(metadata, parsed.Results, inline));
                return new CollectOutcome.Accepted(accepted.Run, admission);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or StorageUnavailableException)
            {
                await account.RefundObservationAsync();
                if (committed) ArchiveStore.TryDelete(archives.PathFor(project.Id, runGuid));
                throw new StorageUnavailableException("the observation could not be stored: " + e.Message, e);
            }
        }
        finally
        {
            if (!committed) archive.Dispose();
        }
    }

    private static RunMetadata Metadata(ParsedObservation parsed, ProjectInfo project, Guid agentId, Guid runGuid, DateTimeOffset receivedAt,
        string? path, bool archiveInRunLog)
    {
        var command = parsed.Command.Document!;
        var ci = CiEnvironment.Detect(command.Env);
        return new RunMetadata(
            runGuid, PublicIds.ObservationId(receivedAt, runGuid), project.Id, project.AccountId, agentId, "collect", receivedAt,
            command.Executed, [.. command.Command], command.User, command.ReturnCode, command.ExecutionTimeMs, [.. command.Tags],
            new Dictionary<string, string>(SecretMasker.Mask(command.Env)),
            new CiContext(ci.Provider, ci.CommitSha, ci.Branch, ci.BuildId, ci.BuildUrl, ci.JobName, ci.Repository),
            path, parsed.ProcessingError, ArchiveInRunLog: archiveInRunLog);
    }
}
