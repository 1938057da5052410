using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>
/// A project: its settings, the sequence of its runs, and aggregates kept on write (run counts by status and
/// branch, the test catalogue). It is on the per-run path, never the per-result path.
/// </summary>
public interface IProjectGrain : IGrainWithGuidKey
{
    Task<ProjectInfo> CreateAsync(Guid accountId, string name, string slug);
    Task<ProjectInfo?> GetAsync();

    /// <summary>Stores the run durably and returns its sequence number. Returns only once the run is durable.</summary>
    Task<long> AcceptRunAsync(RunSubmission submission);

    /// <summary>The API fanned the run out to its test grains.</summary>
    Task MarkDispatchedAsync(long sequence);

    /// <summary>A test grain persisted its state including these runs.</summary>
    [OneWay]
    Task TestsFlushedAsync(long[] sequences);

    Task<ObservationState> GetObservationStateAsync(long sequence);

    /// <summary>How many runs match: answered from counters, not by counting rows.</summary>
    Task<long> CountRunsAsync(string? status, string? branch);

    Task<Page<TestSummary>> ListTestsAsync(string? status, string? search, int limit, int offset);

    /// <summary>Activates the project and replays runs whose effects are not yet durable in its test grains.</summary>
    Task EnsureRecoveredAsync();
}
