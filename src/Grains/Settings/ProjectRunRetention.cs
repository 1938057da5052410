using Seismo.Grains.Storage;

namespace Seismo.Grains.Settings;

/// <summary>Retention of runs through each project's own run deletion, so its counters and tests are corrected too.</summary>
public sealed class ProjectRunRetention(IGrainFactory grains, IRunStore store) : IRunRetention
{
    public async Task<int> DeleteRunsBeforeAsync(Guid projectId, DateTimeOffset cutoff, bool dryRun, CancellationToken cancellationToken)
    {
        if (!dryRun) return await grains.GetGrain<IProjectGrain>(projectId).DeleteRunsBeforeAsync(cutoff);
        var count = 0;
        await foreach (var _ in store.ReadBeforeAsync(projectId, cutoff, cancellationToken)) count++;
        return count;
    }
}
