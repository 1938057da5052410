namespace Seismo.Grains;

/// <summary>
/// One test of one project, keyed "{projectId:N}/{keyHash}". Holds live counts, the recent history ring and
/// the quarantine flag in memory, persisted write-behind with a watermark of the runs it has applied.
/// </summary>
public interface ITestGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies this test's results of one or more runs, in sequence order. Idempotent: a run already applied is
    /// ignored (replay after a crash). Completes once they are applied in memory, so the fan-out knows how far the
    /// test grains have got and holds new runs back rather than queue them without bound; the grain acknowledges
    /// through the project once it has persisted.
    /// </summary>
    Task ApplyAsync(TestApplication[] applications);

    Task<TestView?> GetAsync();

    /// <summary>A person quarantines or releases the test; null when the test has no results yet.</summary>
    Task<QuarantineDecision?> SetQuarantineAsync(bool quarantined, string decidedBy);

    /// <summary>
    /// Replaces the test's state by a replay of its remaining results (runs were deleted), durably, and returns its
    /// flakiness now. Every run up to <paramref name="appliedThrough"/> is either in <paramref name="remaining"/> or gone.
    /// </summary>
    Task<FlakinessReport> ReplaceHistoryAsync(TestApplication[] remaining, long appliedThrough);

    /// <summary>Forgets the test (its project was deleted).</summary>
    Task ClearAsync();

    /// <summary>Writes pending state now (used on shutdown and by tests).</summary>
    Task FlushAsync();
}

/// <summary>One run, keyed by its UUID: serves its metadata and results from the durable run record.</summary>
public interface IRunGrain : IGrainWithGuidKey
{
    Task<RunSummary?> GetAsync();
    Task<IReadOnlyList<TestResult>> GetResultsAsync();
    Task<ObservationState?> GetObservationStateAsync();

    /// <summary>The raw upload kept in the run log with the run, or null (none, or kept in the archive store).</summary>
    Task<byte[]?> GetArchiveAsync();

    /// <summary>The run was deleted: drop what is cached of it.</summary>
    Task ForgetAsync();
}
