namespace Seismo.Grains.Storage;

/// <summary>A test seen for the first time in a project: the catalogue row that lets listings find it.</summary>
public sealed record CatalogEntry(string KeyHash, string Key, string Title, string? FullTitle, string? FilePath, DateTimeOffset FirstSeen);

/// <summary>A run to append to the log, with the tests it introduces and, when it is kept with the run, its raw upload.</summary>
public sealed record RunAppend(RunSummary Run, IReadOnlyList<TestResult> Results, IReadOnlyList<CatalogEntry> NewTests, byte[]? Archive = null);

/// <summary>
/// The durable run log: one row per run holding its metadata and compressed results, plus the catalogue of
/// tests each project has seen. Runs are appended in transactions of one or more; everything else about a run is
/// derived from it.
/// </summary>
public interface IRunStore
{
    Task InitializeAsync(CancellationToken ct = default);

    /// <summary>
    /// Appends runs and the tests they introduce in one transaction: all of them are durable when it completes, or
    /// none is. Runs that arrived together share one flush to disk.
    /// </summary>
    Task AppendAsync(IReadOnlyList<RunAppend> runs, CancellationToken ct = default);

    /// <summary>Appends one run and the tests it introduces in one transaction.</summary>
    Task AppendAsync(RunSummary run, IReadOnlyList<TestResult> results, IReadOnlyList<CatalogEntry> newTests, CancellationToken ct = default) =>
        AppendAsync([new RunAppend(run, results, newTests)], ct);

    Task<StoredRun?> GetAsync(Guid runGuid, CancellationToken ct = default);

    /// <summary>The raw upload appended with the run (<see cref="RunMetadata.ArchiveInRunLog"/>), or null.</summary>
    Task<byte[]?> ReadArchiveAsync(Guid runGuid, CancellationToken ct = default);

    /// <summary>The run without its results: what status and detail queries need, without decoding the results.</summary>
    Task<RunSummary?> GetSummaryAsync(Guid runGuid, CancellationToken ct = default);

    /// <summary>Newest first; uses the (project, status|branch, sequence) indexes.</summary>
    Task<IReadOnlyList<RunSummary>> ListAsync(Guid projectId, string? status, string? branch, int limit, int offset, CancellationToken ct = default);

    /// <summary>One run by its place in the project's sequence, with its results.</summary>
    Task<StoredRun?> GetBySequenceAsync(Guid projectId, long sequence, CancellationToken ct = default);

    /// <summary>Runs after a sequence number, oldest first: the replay source after a crash.</summary>
    IAsyncEnumerable<StoredRun> ReadAfterAsync(Guid projectId, long afterSequence, CancellationToken ct = default);

    Task<long> LastSequenceAsync(Guid projectId, CancellationToken ct = default);

    Task<IReadOnlyList<CatalogEntry>> ReadCatalogAsync(Guid projectId, CancellationToken ct = default);

    Task<IReadOnlyList<Guid>> ProjectsWithRunsAsync(CancellationToken ct = default);

    /// <summary>Runs of a project created before <paramref name="cutoff"/>, oldest first: what retention deletes.</summary>
    IAsyncEnumerable<StoredRun> ReadBeforeAsync(Guid projectId, DateTimeOffset cutoff, CancellationToken ct = default);

    /// <summary>Deletes runs of a project, with their archives, in one transaction.</summary>
    Task DeleteRunsAsync(Guid projectId, IReadOnlyList<Guid> runGuids, CancellationToken ct = default);

    /// <summary>Deletes every run, archive and catalogue row of a project in one transaction.</summary>
    Task DeleteProjectAsync(Guid projectId, CancellationToken ct = default);
}

public sealed record StoredRun(RunSummary Summary, IReadOnlyList<TestResult> Results);

/// <summary>
/// Thrown when the store cannot be reached; the API answers 503 with Retry-After. Serializable: in cluster mode it
/// crosses from a silo to the API node that made the call.
/// </summary>
[GenerateSerializer]
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
