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
    Task<AcceptedRun> AcceptRunAsync(RunSubmission submission);

    /// <summary>The API fanned the run out to its test grains.</summary>
    Task MarkDispatchedAsync(long sequence);

    /// <summary>A test grain persisted its state including these runs; <paramref name="report"/> is its flakiness now.</summary>
    [OneWay]
    Task TestsFlushedAsync(long[] sequences, FlakinessReport? report);

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
}
