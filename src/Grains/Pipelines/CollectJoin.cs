using System.Globalization;
using Seismo.Domain.Collect.Ci;
using Seismo.Domain.Pipelines;

namespace Seismo.Grains.Pipelines;

/// <summary>
/// How a /collect run joins a pipeline job: its CI variables name the provider, the CI run (build id), the job and
/// (where the CI says) the attempt. Runs without all three stay out of pipelines.
/// </summary>
public static class CollectJoin
{
    public static ObservationLink? LinkOf(RunSummary run)
    {
        var m = run.Metadata;
        if (PipelineNames.ProviderOfCi(m.Ci.Provider) is not { } provider || m.Ci.BuildId is not { Length: > 0 } ciRun
            || m.Ci.JobName is not { Length: > 0 } job) return null;
        var attempt = int.TryParse(CiEnvironment.Detect(m.Env).RunAttempt, NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : (int?)null;
        return new ObservationLink(m.RunGuid, m.Id, provider, ciRun, job, attempt, run.Counts, m.HasArchive, m.CreatedAt,
            m.DurationMs is { } ms ? ms / 1000.0 : null);
    }

    /// <summary>
    /// Runs about to be deleted leave the pipelines they joined or wait for, and the test aggregates those kept of them
    /// (each workflow run's test counts and samples, the project's flake tallies), before this returns. The calls go
    /// down from the project grain and nothing below calls back into it, so they cannot deadlock with it.
    /// </summary>
    public static async Task ForgetAsync(IGrainFactory grains, Guid projectId, IEnumerable<RunSummary> runs)
    {
        var links = runs.Select(LinkOf).OfType<ObservationLink>().ToArray();
        if (links.Length == 0) return;
        var owners = await grains.GetGrain<IProjectPipelinesGrain>(projectId).ForgetRunsAsync(links);
        await Task.WhenAll(owners.Select(o => grains.GetGrain<IPipelineGrain>(o.Key).DetachAsync(o.Value)));
    }

    /// <summary>One one-way call per run to the project's pipelines, which attaches it or keeps it for its pipeline.</summary>
    public static void Notify(IGrainFactory grains, RunSummary run)
    {
        if (LinkOf(run) is { } link) _ = grains.GetGrain<IProjectPipelinesGrain>(run.Metadata.ProjectId).ObservationAsync(link);
    }
}
