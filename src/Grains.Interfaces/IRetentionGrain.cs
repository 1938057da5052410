using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>
/// The cleanup worker (one grain, key 0): its settings, an Orleans reminder that sweeps every
/// <see cref="RetentionSettings.IntervalHours"/>, and the 5 newest sweep records.
/// </summary>
public interface IRetentionGrain : IGrainWithIntegerKey
{
    public const int KeptRuns = 5;

    [AlwaysInterleave]
    Task<RetentionSettings> GetSettingsAsync();

    /// <summary>Stores the settings and reschedules the reminder to the new interval.</summary>
    Task SetSettingsAsync(RetentionSettings settings);

    /// <summary>Registers the sweep reminder if it is not yet (called at silo start).</summary>
    Task EnsureScheduledAsync();

    /// <summary>Sweeps now, as the reminder does, and returns the record.</summary>
    Task<CleanupRun> SweepAsync();

    /// <summary>Newest first.</summary>
    [AlwaysInterleave]
    Task<CleanupRun[]> ListRunsAsync(int limit);
}
