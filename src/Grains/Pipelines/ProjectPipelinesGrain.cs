namespace Seismo.Grains.Pipelines;

[GenerateSerializer]
public sealed class PipelineRow
{
    [Id(0)] public Guid Id { get; set; }
    [Id(1)] public string? Branch { get; set; }
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
}

[GenerateSerializer]
public sealed class ProjectPipelinesState
{
    [Id(0)] public string? Slug { get; set; }
    [Id(1)] public string? Provider { get; set; }
    [Id(2)] public string? Repository { get; set; }
    /// <summary>Row n−1 is pipeline number n.</summary>
    [Id(3)] public List<PipelineRow> Pipelines { get; set; } = [];
    [Id(4)] public Dictionary<Guid, long> Numbers { get; set; } = [];
    /// <summary>Entry n−1 is the pipeline of job number n.</summary>
    [Id(5)] public List<Guid> JobOwners { get; set; } = [];
    /// <summary>"provider␟run id" → pipelines of that CI run (one per pipeline name).</summary>
    [Id(6)] public Dictionary<string, List<Guid>> ByCiRun { get; set; } = [];
    /// <summary>/collect runs whose pipeline has not been reported yet, by "provider␟run id"; the oldest go first past the cap.</summary>
    [Id(7)] public Dictionary<string, List<ObservationLink>> Pending { get; set; } = [];
    [Id(8)] public Dictionary<string, HashSet<string>> WorkflowBranches { get; set; } = [];
    [Id(9)] public Dictionary<string, List<long>> ByBranch { get; set; } = [];
    [Id(10)] public List<string> Branches { get; set; } = [];
    /// <summary>/collect run id → the job it joined (for flaky tests' job numbers).</summary>
    [Id(11)] public Dictionary<string, JobJoin> Joins { get; set; } = [];
}

/// <summary>
/// A project's pipelines, keyed by the project id: numbers pipelines and jobs in arrival order, lists pipelines
/// newest first (whole branches are indexed, so a page reads only its rows), and joins /collect runs to pipelines by
/// provider and CI run id.
/// </summary>
public sealed class ProjectPipelinesGrain(
    [PersistentState("pipelines", "Default")] IPersistentState<ProjectPipelinesState> state) : Grain, IProjectPipelinesGrain
{
    private const int MaxPendingRuns = 1000;

    public async Task<PipelineNumbers> RegisterAsync(Guid pipelineId, string slug, string provider, string repository, long runId,
        string workflow, string? branch, DateTimeOffset createdAt, int newJobs)
    {
        var s = state.State;
        s.Slug ??= slug;
        s.Provider ??= provider;
        s.Repository ??= repository;
        var pending = Array.Empty<ObservationLink>();
        if (!s.Numbers.TryGetValue(pipelineId, out var number))
        {
            s.Pipelines.Add(new PipelineRow { Id = pipelineId, Branch = branch, CreatedAt = createdAt });
            number = s.Pipelines.Count;
            s.Numbers[pipelineId] = number;
            if (branch is not null)
            {
                if (!s.ByBranch.TryGetValue(branch, out var list)) { s.ByBranch[branch] = list = []; s.Branches.Add(branch); }
                list.Add(number);
            }
            var key = CiRunKey(provider, runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!s.ByCiRun.TryGetValue(key, out var owners)) s.ByCiRun[key] = owners = [];
            owners.Add(pipelineId);
            if (s.Pending.Remove(key, out var waiting)) pending = [.. waiting];
        }
        if (!s.WorkflowBranches.TryGetValue(workflow, out var branches)) s.WorkflowBranches[workflow] = branches = [];
        if (branch is not null) branches.Add(branch);
        var firstJob = s.JobOwners.Count + 1;
        for (var i = 0; i < newJobs; i++) s.JobOwners.Add(pipelineId);
        await state.WriteStateAsync();
        return new PipelineNumbers(number, firstJob, pending);
    }

    public async Task ObservationAsync(ObservationLink link)
    {
        var key = CiRunKey(link.Provider, link.CiRunId);
        if (state.State.ByCiRun.TryGetValue(key, out var owners))
        {
            // One-way: the pipeline may be calling this grain to register at the same moment.
            foreach (var id in owners) _ = GrainFactory.GetGrain<IPipelineGrain>(id).AttachAsync(link);
            return;
        }
        var pending = state.State.Pending;
        if (!pending.TryGetValue(key, out var list))
        {
            if (pending.Count >= MaxPendingRuns) pending.Remove(pending.MinBy(p => p.Value[0].At).Key);
            pending[key] = list = [];
        }
        list.Add(link);
        await state.WriteStateAsync();
    }

    public async Task RecordJoinAsync(JobJoin join)
    {
        state.State.Joins[join.RunId] = join;
        await state.WriteStateAsync();
    }

    public async Task<Dictionary<Guid, Guid[]>> ForgetRunsAsync(ObservationLink[] links)
    {
        var s = state.State;
        var changed = false;
        var owners = new Dictionary<Guid, List<Guid>>();
        foreach (var link in links)
        {
            var key = CiRunKey(link.Provider, link.CiRunId);
            if (s.Pending.TryGetValue(key, out var waiting) && waiting.RemoveAll(l => l.RunGuid == link.RunGuid) > 0)
            {
                changed = true;
                if (waiting.Count == 0) s.Pending.Remove(key);
            }
            changed |= s.Joins.Remove(link.RunId);
            foreach (var id in s.ByCiRun.GetValueOrDefault(key) ?? [])
            {
                if (!owners.TryGetValue(id, out var runs)) owners[id] = runs = [];
                runs.Add(link.RunGuid);
            }
        }
        if (changed) await state.WriteStateAsync();
        return owners.ToDictionary(o => o.Key, o => o.Value.ToArray());
    }

    public async Task ClearAsync()
    {
        var projectId = this.GetPrimaryKey();
        foreach (var row in state.State.Pipelines) await GrainFactory.GetGrain<IPipelineGrain>(row.Id).ClearAsync();
        foreach (var workflow in state.State.WorkflowBranches.Keys)
            await GrainFactory.GetGrain<IWorkflowInsightsGrain>($"{projectId}/{workflow}").ClearAsync();
        await GrainFactory.GetGrain<ITestFlakesGrain>(projectId).ClearAsync();
        await state.ClearStateAsync();
        state.State = new ProjectPipelinesState();
        DeactivateOnIdle();
    }

    public Task<JobJoin[]> FindJoinsAsync(string[] runIds) =>
        Task.FromResult(runIds.Select(id => state.State.Joins.GetValueOrDefault(id)).OfType<JobJoin>().ToArray());

    public Task<Guid?> PipelineByNumberAsync(long number) =>
        Task.FromResult(number >= 1 && number <= state.State.Pipelines.Count ? state.State.Pipelines[(int)number - 1].Id : (Guid?)null);

    public Task<Guid?> PipelineOfJobAsync(long jobNumber) =>
        Task.FromResult(jobNumber >= 1 && jobNumber <= state.State.JobOwners.Count ? state.State.JobOwners[(int)jobNumber - 1] : (Guid?)null);

    public Task<PipelineRef[]> ListAsync(string? branch, long beforeNumber, int limit)
    {
        var rows = state.State.Pipelines;
        var result = new List<PipelineRef>(limit);
        if (branch is null)
        {
            var start = beforeNumber <= 0 ? rows.Count : Math.Min(beforeNumber - 1, rows.Count);
            for (var n = start; n >= 1 && result.Count < limit; n--) result.Add(Ref(n));
        }
        else if (state.State.ByBranch.TryGetValue(branch, out var numbers))
        {
            for (var i = numbers.Count - 1; i >= 0 && result.Count < limit; i--)
            {
                if (beforeNumber <= 0 || numbers[i] < beforeNumber) result.Add(Ref(numbers[i]));
            }
        }
        return Task.FromResult(result.ToArray());
    }

    public Task<PipelineRef[]> ListBeforeAsync(DateTimeOffset before, Guid beforeId, int limit)
    {
        // Numbers follow arrival, which follows creation closely: walking back from the newest finds a page quickly.
        var result = new List<PipelineRef>(limit);
        for (var n = (long)state.State.Pipelines.Count; n >= 1 && result.Count < limit; n--)
        {
            var row = state.State.Pipelines[(int)n - 1];
            if (row.CreatedAt < before || (row.CreatedAt == before && row.Id.CompareTo(beforeId) < 0)) result.Add(Ref(n));
        }
        return Task.FromResult(result.ToArray());
    }

    public Task<PipelineCatalog> GetCatalogAsync(string? workflow)
    {
        var s = state.State;
        string[] branches = workflow is null ? [.. s.Branches]
            : s.WorkflowBranches.TryGetValue(workflow, out var set) ? [.. set.Order(StringComparer.Ordinal)] : [];
        return Task.FromResult(new PipelineCatalog(s.Slug, s.Provider, s.Repository, DefaultBranch(s),
            [.. s.WorkflowBranches.Keys.Order(StringComparer.Ordinal)], branches, s.Pipelines.Count));
    }

    /// <summary>RunWatch does not say which branch is the default: main if seen, else master, else the first branch seen.</summary>
    private static string? DefaultBranch(ProjectPipelinesState s) =>
        s.ByBranch.ContainsKey("main") ? "main" : s.ByBranch.ContainsKey("master") ? "master" : s.Branches.FirstOrDefault();

    private PipelineRef Ref(long number)
    {
        var row = state.State.Pipelines[(int)number - 1];
        return new PipelineRef(row.Id, number, row.CreatedAt);
    }

    private static string CiRunKey(string provider, string runId) => provider + "\u001f" + runId;
}
