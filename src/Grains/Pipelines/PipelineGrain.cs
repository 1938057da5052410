using Seismo.Domain.Pipelines;

namespace Seismo.Grains.Pipelines;

[GenerateSerializer]
public sealed class JobState
{
    [Id(0)] public long Number { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public string? JobId { get; set; }
    [Id(3)] public string? JobUrl { get; set; }
    [Id(4)] public string Status { get; set; } = "";
    [Id(5)] public double? DurationSeconds { get; set; }
    [Id(6)] public DateTimeOffset? StartedAt { get; set; }
    [Id(7)] public DateTimeOffset? CompletedAt { get; set; }
    [Id(8)] public List<ObservationLink> Observations { get; set; } = [];
}

[GenerateSerializer]
public sealed class AttemptState
{
    [Id(0)] public int Attempt { get; set; }
    [Id(1)] public string Status { get; set; } = "";
    [Id(2)] public DateTimeOffset StartedAt { get; set; }
    [Id(3)] public DateTimeOffset? CompletedAt { get; set; }
    [Id(4)] public double? DurationSeconds { get; set; }
    [Id(5)] public string? RunName { get; set; }
    [Id(6)] public string? RunUrl { get; set; }
    [Id(7)] public string? ExternalId { get; set; }
    [Id(8)] public string? Mode { get; set; }
    [Id(9)] public double? ComputeSeconds { get; set; }
    [Id(10)] public List<JobState> Jobs { get; set; } = [];
    [Id(11)] public DateTimeOffset UpdatedAt { get; set; }
}

[GenerateSerializer]
public sealed class PipelineState
{
    [Id(0)] public PipelineView? Head { get; set; }
    [Id(1)] public List<AttemptState> Attempts { get; set; } = [];
}

/// <summary>
/// A pipeline: one RunWatch run (provider, repository, pipeline name, run id), keyed by the id derived from those, with
/// one workflow per attempt. A later report of an attempt updates it; each report's change goes to the workflow's
/// insights as "before" and "after", so aggregates stay right when a run moves from running to success.
/// </summary>
public sealed class PipelineGrain(
    [PersistentState("pipeline", "Default")] IPersistentState<PipelineState> state) : Grain, IPipelineGrain
{
    public Task<bool> HasAttemptAsync(int attempt) => Task.FromResult(state.State.Attempts.Any(a => a.Attempt == attempt));

    public Task<PipelineView?> GetAsync() => Task.FromResult(state.State.Head is null ? null : View());

    public async Task ClearAsync()
    {
        foreach (var attempt in state.State.Attempts) await GrainFactory.GetGrain<IWorkflowTestsGrain>(WorkflowId(attempt.Attempt)).ClearAsync();
        await state.ClearStateAsync();
        state.State = new PipelineState();
        DeactivateOnIdle();
    }

    public async Task<(PipelineView Pipeline, Guid WorkflowId)> ReportAsync(PipelineReport r)
    {
        var s = state.State;
        var attempt = s.Attempts.FirstOrDefault(a => a.Attempt == r.RunAttempt);
        var before = attempt is null ? null : Sample(attempt);
        var jobsBefore = attempt?.Jobs.ToDictionary(j => j.Name, JobSample) ?? [];
        var newJobs = r.Jobs.Count(j => attempt?.Jobs.Any(x => x.Name == j.Name) != true);

        if (s.Head is null || newJobs > 0)
        {
            var numbers = await GrainFactory.GetGrain<IProjectPipelinesGrain>(r.ProjectId).RegisterAsync(this.GetPrimaryKey(), r.ProjectSlug,
                r.Provider, r.Repository, r.RunId, r.PipelineName, r.Branch, s.Head?.CreatedAt ?? r.StartedAt, newJobs);
            s.Head ??= new PipelineView(this.GetPrimaryKey(), r.ProjectId, r.ProjectSlug, numbers.Number, r.Provider, r.Repository,
                r.PipelineName, r.RunId, r.Branch, r.TriggeredBy, r.Actor, r.StartedAt, r.ReceivedAt, []);
            if (attempt is null)
            {
                attempt = new AttemptState { Attempt = r.RunAttempt };
                s.Attempts.Add(attempt);
                s.Attempts.Sort((a, b) => a.Attempt.CompareTo(b.Attempt));
            }
            var next = numbers.FirstJobNumber;
            foreach (var job in r.Jobs.Where(j => attempt.Jobs.All(x => x.Name != j.Name)))
                attempt.Jobs.Add(new JobState { Name = job.Name, Number = next++ });
            Update(attempt, r);
            foreach (var link in numbers.Pending) Attach(link);
        }
        else
        {
            attempt ??= AddAttempt(r.RunAttempt);
            Update(attempt, r);
        }
        s.Head = s.Head with { UpdatedAt = r.ReceivedAt, Branch = s.Head.Branch ?? r.Branch };
        await state.WriteStateAsync();

        var change = new WorkflowChange(WorkflowId(attempt.Attempt), s.Head.Number, s.Head.Branch, before, Sample(attempt),
            [.. attempt.Jobs.Select(j => new JobChange(j.Name, jobsBefore.GetValueOrDefault(j.Name), JobSample(j)))
                .Where(c => c.Old != c.New)]);
        await Insights(r.ProjectId, r.PipelineName).ApplyAsync(change);
        return (View(), change.WorkflowId);
    }

    public async Task AttachAsync(ObservationLink link)
    {
        if (state.State.Head is null) return;
        if (Attach(link)) await state.WriteStateAsync();
    }

    public async Task DetachAsync(Guid[] runGuids)
    {
        if (state.State.Head is not { } head) return;
        var gone = runGuids.ToHashSet();
        var attempts = state.State.Attempts
            .Select(a => (Attempt: a, Runs: a.Jobs.SelectMany(j => j.Observations).Select(o => o.RunGuid).Where(gone.Contains).Distinct().ToArray()))
            .Where(a => a.Runs.Length > 0)
            .ToList();
        if (attempts.Count == 0) return;
        // The aggregates first (their removal is idempotent): if one fails, the jobs still hold the runs and a retry finds them.
        foreach (var (attempt, runs) in attempts)
            await GrainFactory.GetGrain<IWorkflowTestsGrain>(WorkflowId(attempt.Attempt)).RemoveAsync(head.ProjectId, runs);
        foreach (var job in attempts.SelectMany(a => a.Attempt.Jobs)) job.Observations.RemoveAll(o => gone.Contains(o.RunGuid));
        await state.WriteStateAsync();
    }

    // The run's attempt if the CI variables name it, else the latest; the job of the same name (case aside).
    private bool Attach(ObservationLink link)
    {
        var attempts = state.State.Attempts;
        var attempt = attempts.FirstOrDefault(a => a.Attempt == link.Attempt) ?? attempts.LastOrDefault();
        var job = attempt?.Jobs.FirstOrDefault(j => j.Name == link.JobName)
            ?? attempt?.Jobs.FirstOrDefault(j => string.Equals(j.Name, link.JobName, StringComparison.OrdinalIgnoreCase));
        if (job is null || job.Observations.Any(o => o.RunGuid == link.RunGuid)) return false;
        job.Observations.Add(link);
        var head = state.State.Head!;
        var join = new JobJoin(link.RunId, job.Number, job.Name, head.Number, WorkflowId(attempt!.Attempt), head.PipelineName, attempt.StartedAt);
        _ = GrainFactory.GetGrain<IProjectPipelinesGrain>(head.ProjectId).RecordJoinAsync(join);
        _ = GrainFactory.GetGrain<IWorkflowTestsGrain>(join.WorkflowId).AddAsync(new JoinedRun(head.ProjectId, join, link.RunGuid, link.At));
        return true;
    }

    private AttemptState AddAttempt(int number)
    {
        var attempt = new AttemptState { Attempt = number };
        state.State.Attempts.Add(attempt);
        state.State.Attempts.Sort((a, b) => a.Attempt.CompareTo(b.Attempt));
        return attempt;
    }

    /// <summary>Fields given replace those kept; a finished run or job never goes back to an unfinished status.</summary>
    private static void Update(AttemptState a, PipelineReport r)
    {
        if (!(IsFinal(a.Status) && !IsFinal(r.Status))) a.Status = r.Status;
        a.StartedAt = r.StartedAt;
        a.CompletedAt = r.CompletedAt ?? a.CompletedAt;
        a.DurationSeconds = r.DurationSeconds ?? a.DurationSeconds;
        a.RunName = r.RunName ?? a.RunName;
        a.RunUrl = r.RunUrl ?? a.RunUrl;
        a.ExternalId = r.PipelineId ?? a.ExternalId;
        a.Mode = r.Mode ?? a.Mode;
        a.ComputeSeconds = r.ComputeSeconds ?? a.ComputeSeconds;
        a.UpdatedAt = r.ReceivedAt;
        foreach (var j in r.Jobs)
        {
            var job = a.Jobs.First(x => x.Name == j.Name);
            if (!(IsFinal(job.Status) && !IsFinal(j.Status))) job.Status = j.Status;
            job.JobId = j.JobId ?? job.JobId;
            job.JobUrl = j.JobUrl ?? job.JobUrl;
            job.DurationSeconds = j.DurationSeconds ?? job.DurationSeconds;
            job.StartedAt = j.StartedAt ?? job.StartedAt;
            job.CompletedAt = j.CompletedAt ?? job.CompletedAt;
        }
    }

    private static bool IsFinal(string status) => PipelineNames.Outcome(status) is not RunOutcome.InProgress && status.Length > 0;

    private static RunSampleData Sample(AttemptState a) => new(a.Status, a.DurationSeconds, a.StartedAt, a.CompletedAt);

    private RunSampleData JobSample(JobState j) =>
        new(j.Status, j.DurationSeconds, j.StartedAt ?? state.State.Attempts.First(a => a.Jobs.Contains(j)).StartedAt, j.CompletedAt);

    private Guid WorkflowId(int attempt) => PipelineIds.Workflow(this.GetPrimaryKey(), attempt);

    private IWorkflowInsightsGrain Insights(Guid projectId, string workflow) =>
        GrainFactory.GetGrain<IWorkflowInsightsGrain>($"{projectId}/{workflow}");

    private PipelineView View()
    {
        var head = state.State.Head!;
        return head with
        {
            Workflows = [.. state.State.Attempts.Select(a => new WorkflowView(WorkflowId(a.Attempt), a.Attempt, head.PipelineName, a.Status,
                a.StartedAt, a.CompletedAt, a.DurationSeconds, a.RunName, a.RunUrl, a.ExternalId, a.Mode, a.ComputeSeconds,
                [.. a.Jobs.Select(j => new JobView(j.Number, PipelineIds.Job(WorkflowId(a.Attempt), j.Name), j.Name, j.JobId, j.JobUrl, j.Status,
                    j.DurationSeconds, j.StartedAt, j.CompletedAt, [.. j.Observations]))],
                a.UpdatedAt))],
        };
    }
}
