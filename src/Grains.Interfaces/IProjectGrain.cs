using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>
/// A project: its settings, the sequence of its runs, and aggregates kept on write (run counts by status and
/// branch, the test catalogue). It is on the per-run path, never the per-result path.
/// </summary>
public interface IProjectGrain : IGrainWithGuidKey
{
    Task<ProjectInfo> CreateAsync(Guid accountId, string name, string slug);
    [AlwaysInterleave]
    Task<ProjectInfo?> GetAsync();

    /// <summary>Stores the run durably and returns it with its sequence number. Returns only once the run is durable.</summary>
    /// <remarks>
    /// An upload's run may hold hundreds of thousands of results: storing it can outlast the default response timeout,
    /// and a caller that gave up would refuse an upload the grain then stores anyway.
    /// </remarks>
    [ResponseTimeout("00:03:00")]
    Task<AcceptedRun> AcceptRunAsync(RunSubmission submission);

    /// <summary>
    /// Stores runs durably in one transaction, in the given order, and returns them with their sequence numbers: all
    /// are stored or none is. Returns only once they are durable.
    /// </summary>
    [ResponseTimeout("00:03:00")]
    Task<AcceptedRun[]> AcceptRunsAsync(RunSubmission[] submissions);

    /// <summary>The API fanned these runs out to their test grains.</summary>
    Task MarkDispatchedAsync(long[] sequences);

    /// <summary>
    /// The test grain of <paramref name="keyHash"/> persisted its state including these runs; <paramref name="report"/>
    /// is its flakiness now.
    /// </summary>
    [OneWay]
    Task TestsFlushedAsync(string keyHash, long[] sequences, FlakinessReport? report);

    /// <summary>A test's label or quarantine just changed.</summary>
    [OneWay]
    Task TestChangedAsync(TestChange change);

    [AlwaysInterleave]
    Task<ProjectSettings?> GetSettingsAsync();

    Task<ProjectSettings?> UpdateSettingsAsync(SettingsPatch patch);

    /// <summary>Tests by flakiness score, highest first, from the index kept on write; the summary covers the project.</summary>
    [AlwaysInterleave]
    Task<TestFlags[]> GetTestFlagsAsync(string[] keyHashes);

    [AlwaysInterleave]
    Task<FlakinessPage> ListFlakinessAsync(double minScore, bool? quarantined, int limit, int offset);

    [AlwaysInterleave]
    Task<ObservationState> GetObservationStateAsync(long sequence);

    /// <summary>How many runs match: answered from counters, not by counting rows.</summary>
    [AlwaysInterleave]
    Task<long> CountRunsAsync(string? status, string? branch);

    /// <summary>A page of runs, newest first, read through the store's (project, status|branch, sequence) indexes.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<RunSummary>> ListRunsAsync(string? status, string? branch, int limit, int offset);

    [AlwaysInterleave]
    Task<Page<TestSummary>> ListTestsAsync(string? status, string? search, int limit, int offset);

    /// <summary>Daily counts for the last <paramref name="days"/> UTC days and the <paramref name="top"/> most failing tests.</summary>
    [AlwaysInterleave]
    Task<ProjectTrendsView> GetTrendsAsync(int days, int top);

    /// <summary>The project's live events after <paramref name="afterSequence"/>, from its bounded replay buffer.</summary>
    [AlwaysInterleave]
    Task<EventReplay> GetEventsAfterAsync(long afterSequence);

    /// <summary>
    /// Publishes events that are not about a run (upload progress, report notifications) through the project's live
    /// feed: numbered, kept for replay and sent to the API nodes like every other event of the project.
    /// </summary>
    Task PublishAsync(string type, string[] payloads);

    /// <summary>Activates the project and replays runs whose effects are not yet durable in its test grains.</summary>
    Task EnsureRecoveredAsync();

    /// <summary>Lists a reported run that is not in the run log (open or cancelled); appending it to the log unlists it.</summary>
    Task TrackReporterRunAsync(RunSummary run);

    /// <summary>
    /// Deletes a run of this project: its log row, archive, artifacts and reporter details. Counters are corrected
    /// before this returns; each affected test is replayed from its remaining runs in the background. False when the
    /// project has no such run.
    /// </summary>
    Task<bool> DeleteRunAsync(Guid runGuid);

    /// <summary>Deletes every run created before <paramref name="cutoff"/> as <see cref="DeleteRunAsync"/> does (retention); returns how many.</summary>
    Task<int> DeleteRunsBeforeAsync(DateTimeOffset cutoff);

    /// <summary>Renames the project; null when it does not exist.</summary>
    Task<ProjectInfo?> RenameAsync(string name);

    /// <summary>
    /// Deletes the project and everything of it: runs, tests, reported runs, archives, artifacts, webhooks, and its
    /// keys (through the account). False when it does not exist.
    /// </summary>
    Task<bool> DeleteProjectAsync();

    /// <summary>Tests still waiting for their replay after a deletion.</summary>
    [AlwaysInterleave]
    Task<int> CountStaleTestsAsync();
}
