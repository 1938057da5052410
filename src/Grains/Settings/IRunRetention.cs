namespace Seismo.Grains.Settings;

/// <summary>
/// Deletes a project's runs older than its <c>dataRetentionDays</c>, through the project's own run deletion (which
/// recomputes its aggregates). The cleanup sweep calls it for every project with runs when an implementation is
/// registered; without one, runs are left alone.
/// </summary>
public interface IRunRetention
{
    /// <summary>Deletes the project's runs created before <paramref name="cutoff"/> (in a dry run, only counts them); returns how many.</summary>
    Task<int> DeleteRunsBeforeAsync(Guid projectId, DateTimeOffset cutoff, bool dryRun, CancellationToken cancellationToken);
}
