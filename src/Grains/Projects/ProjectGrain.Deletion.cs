using Microsoft.Extensions.Logging;
using Seismo.Grains.Runs;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Projects;

/// <summary>
/// Run deletion (DELETE /api/runs/{id}, and retention through <see cref="DeleteRunsBeforeAsync"/>). The runs leave
/// the log, their archives and artifacts leave the disk, and the counters (and the pipelines' test aggregates of the
/// runs that joined a job) are corrected at once; each affected test is then replayed from its remaining runs in the
/// background. Which tests await that replay is part of the project's
/// state, written with the deletion, so a crash in between resumes it on activation rather than leaving them stale.
/// </summary>
public sealed partial class ProjectGrain
{
    private const int DeletionBatch = 200;
    private static readonly TimeSpan RecomputeDelay = TimeSpan.FromMilliseconds(50);
    private IGrainTimer? _recompute;

    public async Task<bool> DeleteRunAsync(Guid runGuid)
    {
        if (state.State.Info is null) return false;
        if (await ForgetReporterRunAsync(runGuid)) return true;
        var run = await store.GetAsync(runGuid);
        if (run is null || run.Summary.Metadata.ProjectId != this.GetPrimaryKey()) return false;
        await DeleteLoggedAsync([run]);
        return true;
    }

    public async Task<int> DeleteRunsBeforeAsync(DateTimeOffset cutoff)
    {
        if (state.State.Info is null) return 0;
        var deleted = 0;
        foreach (var open in state.State.ReporterRuns.Values.Where(r => r.Metadata.CreatedAt < cutoff).Select(r => r.Metadata.RunGuid).ToList())
        {
            if (await ForgetReporterRunAsync(open)) deleted++;
        }
        var batch = new List<StoredRun>();
        await foreach (var run in store.ReadBeforeAsync(this.GetPrimaryKey(), cutoff))
        {
            batch.Add(run);
            if (batch.Count < DeletionBatch) continue;
            await DeleteLoggedAsync(batch);
            deleted += batch.Count;
            batch.Clear();
        }
        if (batch.Count > 0)
        {
            await DeleteLoggedAsync(batch);
            deleted += batch.Count;
        }
        return deleted;
    }

    /// <summary>How many tests still await their replay (for tests and monitoring).</summary>
    public Task<int> CountStaleTestsAsync() => Task.FromResult(state.State.StaleTests.Count);

    /// <summary>A run reported test by test that never entered the log (open or cancelled).</summary>
    private async Task<bool> ForgetReporterRunAsync(Guid runGuid)
    {
        if (!state.State.ReporterRuns.Remove(runGuid, out var run)) return false;
        await GrainFactory.GetGrain<IReporterRunGrain>(runGuid).ClearAsync();
        await GrainFactory.GetGrain<IRunGrain>(runGuid).ForgetAsync();
        ArtifactPaths.Delete(ArtifactPaths.Run(options.Value.DataDir, run.Metadata.ProjectId, runGuid));
        _dirty = true;
        return true;
    }

    private async Task DeleteLoggedAsync(IReadOnlyList<StoredRun> runs)
    {
        // The pipelines' test aggregates first, while the runs' results can still be read by a join on its way.
        await Pipelines.CollectJoin.ForgetAsync(GrainFactory, this.GetPrimaryKey(), runs.Select(r => r.Summary));
        await store.DeleteRunsAsync(this.GetPrimaryKey(), runs.Select(r => r.Summary.Metadata.RunGuid).ToList());
        foreach (var run in runs)
        {
            var m = run.Summary.Metadata;
            state.State.Unfold(run.Summary, run.Results);
            _pending.Remove(run.Summary.Sequence);
            if (m.ArchivePath is { } archive) ArchiveStore.TryDelete(archive);
            ArtifactPaths.Delete(ArtifactPaths.Run(options.Value.DataDir, m.ProjectId, m.RunGuid));
            if (m.Reporter is not null) await GrainFactory.GetGrain<IReporterRunGrain>(m.RunGuid).ClearAsync();
            await GrainFactory.GetGrain<IRunGrain>(m.RunGuid).ForgetAsync();
        }
        Advance();
        await state.WriteStateAsync();
        PublishOverview();
        ScheduleRecompute();
    }

    private void ScheduleRecompute()
    {
        if (state.State.StaleTests.Count == 0) return;
        _recompute?.Dispose();
        _recompute = this.RegisterGrainTimer(async _ =>
        {
            _recompute?.Dispose();
            _recompute = null;
            await RecomputeStaleTestsAsync();
        }, new GrainTimerCreationOptions(RecomputeDelay, Timeout.InfiniteTimeSpan));
    }

    /// <summary>
    /// Replays each stale test from its remaining runs. It runs as a grain timer, between calls: no run is accepted
    /// while the log is read, so every run up to the last sequence is either in a test's replay or deleted.
    /// </summary>
    private async Task RecomputeStaleTestsAsync()
    {
        var stale = state.State.StaleTests.ToHashSet();
        if (stale.Count == 0) return;
        var remaining = stale.ToDictionary(h => h, _ => new List<TestApplication>());
        await foreach (var run in store.ReadAfterAsync(this.GetPrimaryKey(), 0))
        {
            for (var i = 0; i < run.Results.Count; i++)
            {
                if (remaining.TryGetValue(run.Results[i].KeyHash, out var list)) list.Add(RunDispatcher.Application(run.Summary, run.Results[i], i));
            }
        }
        var projectId = this.GetPrimaryKey();
        foreach (var (hash, applications) in remaining)
        {
            try
            {
                var report = await GrainFactory.GetGrain<ITestGrain>(Seismo.Domain.Identity.PublicIds.TestGrainKey(projectId, hash))
                    .ReplaceHistoryAsync([.. applications], _lastSequence);
                Refold(hash, applications, report);
                state.State.StaleTests.Remove(hash);
            }
            catch (Exception e)
            {
                // Left stale: the next pass (timer, or activation) tries again.
                logger.LogWarning(e, "Project {Project}: replay of test {Test} after run deletion failed", projectId, hash);
            }
        }
        _dirty = true;
        await state.WriteStateAsync();
        if (state.State.StaleTests.Count > 0) ScheduleRecompute();
    }

    /// <summary>The catalogue row of a replayed test: its last remaining result and flakiness, or gone with its last run.</summary>
    private void Refold(string hash, List<TestApplication> applications, FlakinessReport report)
    {
        state.State.Trends.Retally(hash, [.. applications.Select(a => a.Execution)]);
        if (!state.State.Tests.TryGetValue(hash, out var live)) return;
        if (applications.Count == 0)
        {
            _index.Remove(hash, live);
            state.State.Tests.Remove(hash);
            return;
        }
        var last = applications[^1].Execution;
        live.LastStatus = last.Status;
        live.LastDurationMs = last.DurationMs;
        live.LastRunId = last.RunId;
        live.LastResultIndex = last.ResultIndex;
        live.LastRunAt = last.CreatedAt;
        live.LastSequence = last.Sequence;
        live.TotalRuns = applications.Count;
        Index(report);
    }
}
