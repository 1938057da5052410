using Microsoft.Extensions.Options;
using Seismo.Grains.Hosting;

namespace Seismo.Grains.Overview;

[GenerateSerializer]
public sealed class OverviewState
{
    [Id(0)] public Dictionary<Guid, OverviewProject> Projects { get; set; } = [];

    /// <summary>Environments by id, with their names.</summary>
    [Id(1)] public Dictionary<string, string> Environments { get; set; } = [];
}

/// <summary>
/// An account's overview. Project aggregates arrive after every run and are written behind (each project keeps its
/// own aggregate durably and sends it again when it activates, so a lost write heals); environment changes are
/// written at once.
/// </summary>
public sealed class OverviewGrain(
    [PersistentState("overview", "Default")] IPersistentState<OverviewState> state,
    IOptions<SeismoOptions> options,
    TimeProvider clock) : Grain, IOverviewGrain
{
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var flush = options.Value.FlushInterval;
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(flush, flush));
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public Task UpdateProjectAsync(Guid projectId, string projectName, ProjectOverview overview)
    {
        var project = Project(projectId);
        if (overview.Sequence < project.Overview.Sequence && project.Name == projectName) return Task.CompletedTask;
        project.Name = projectName;
        if (overview.Sequence >= project.Overview.Sequence) project.Overview = overview;
        _dirty = true;
        return Task.CompletedTask;
    }

    public async Task SetEnvironmentAsync(string envId, string envName)
    {
        state.State.Environments[envId] = envName;
        await state.WriteStateAsync();
    }

    public async Task RemoveEnvironmentAsync(string envId)
    {
        if (!state.State.Environments.Remove(envId)) return;
        foreach (var project in state.State.Projects.Values.Where(p => p.EnvId == envId)) project.EnvId = null;
        await state.WriteStateAsync();
    }

    public async Task SetProjectEnvironmentAsync(Guid projectId, string? envId, string? envName)
    {
        if (envId is not null) state.State.Environments[envId] = envName ?? state.State.Environments.GetValueOrDefault(envId) ?? envId;
        Project(projectId).EnvId = envId;
        await state.WriteStateAsync();
    }

    public async Task RemoveProjectAsync(Guid projectId)
    {
        if (!state.State.Projects.Remove(projectId)) return;
        await state.WriteStateAsync();
    }

    public Task<Dictionary<Guid, string>> GetProjectEnvironmentsAsync() => Task.FromResult(state.State.Projects.ToDictionary(
        p => p.Key, p => p.Value.EnvId is { } env && state.State.Environments.ContainsKey(env) ? env : IOverviewGrain.DefaultEnvironmentId));

    public Task<OverviewView> GetAsync(Guid? projectScope) => Task.FromResult(OverviewComposer.Compose(
        state.State.Projects, state.State.Environments, projectScope, OverviewFold.DayOf(clock.GetUtcNow())));

    private OverviewProject Project(Guid projectId)
    {
        if (!state.State.Projects.TryGetValue(projectId, out var project)) state.State.Projects[projectId] = project = new OverviewProject();
        return project;
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (!_dirty) return;
        _dirty = false;
        try { await state.WriteStateAsync(ct); }
        catch { _dirty = true; throw; }
    }
}
