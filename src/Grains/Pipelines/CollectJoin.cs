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
        return new ObservationLink(m.RunGuid, m.Id, provider, ciRun, job, attempt, run.Counts, m.ArchivePath is not null, m.CreatedAt,
            m.DurationMs is { } ms ? ms / 1000.0 : null);
    }

    /// <summary>One one-way call per run to the project's pipelines, which attaches it or keeps it for its pipeline.</summary>
    public static void Notify(IGrainFactory grains, RunSummary run)
    {
        if (LinkOf(run) is { } link) _ = grains.GetGrain<IProjectPipelinesGrain>(run.Metadata.ProjectId).ObservationAsync(link);
    }
}
