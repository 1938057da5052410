using Seismo.Grains.Hosting;

namespace Seismo.Grains.Environments;

[GenerateSerializer]
public sealed class EnvironmentsState
{
    [Id(0)] public Dictionary<string, EnvironmentInfo> Environments { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// An account's environments and their projects. Every change (created, renamed, deleted, a project
/// joining or leaving) ends in <c>ChangedAsync</c>: the one place to hook aggregates kept per environment.
/// </summary>
public sealed class EnvironmentsGrain(
    [PersistentState("environments", SeismoSiloHosting.StorageName)] IPersistentState<EnvironmentsState> state,
    TimeProvider clock) : Grain, IEnvironmentsGrain
{
    private Dictionary<string, EnvironmentInfo> Environments => state.State.Environments;

    public Task<EnvironmentInfo[]> ListAsync() => Task.FromResult(Environments.Values.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToArray());

    public Task<EnvironmentInfo?> GetAsync(string envId) => Task.FromResult(Environments.GetValueOrDefault(envId));

    public Task<string?> EnvironmentOfAsync(Guid projectId) => Task.FromResult(Owner(projectId)?.Id);

    public async Task<EnvironmentResult> CreateAsync(string envId, string name, string? description)
    {
        if (Environments.ContainsKey(envId)) return new(EnvironmentChange.AlreadyExists, Environments[envId]);
        var now = clock.GetUtcNow();
        return await ChangedAsync(envId, new EnvironmentInfo(envId, name, description, [], now, now));
    }

    public async Task<EnvironmentResult> UpdateAsync(string envId, string? name, string? description)
    {
        if (!Environments.TryGetValue(envId, out var env)) return new(EnvironmentChange.NotFound, null);
        return await ChangedAsync(envId, env with { Name = name ?? env.Name, Description = description ?? env.Description, UpdatedAt = clock.GetUtcNow() });
    }

    public async Task<EnvironmentResult> DeleteAsync(string envId)
    {
        if (!Environments.TryGetValue(envId, out var env)) return new(EnvironmentChange.NotFound, null);
        await ChangedAsync(envId, null);
        return new(EnvironmentChange.Done, env);
    }

    public async Task<EnvironmentResult> AddProjectAsync(string envId, Guid projectId)
    {
        if (!Environments.TryGetValue(envId, out var env)) return new(EnvironmentChange.NotFound, null);
        if (Owner(projectId) is { } owner)
            return owner.Id == envId ? new(EnvironmentChange.Done, env) : new(EnvironmentChange.ProjectInOtherEnvironment, env, owner.Id);
        return await ChangedAsync(envId, env with { ProjectIds = [.. env.ProjectIds, projectId], UpdatedAt = clock.GetUtcNow() });
    }

    public async Task<EnvironmentResult> RemoveProjectAsync(string envId, Guid projectId)
    {
        if (!Environments.TryGetValue(envId, out var env)) return new(EnvironmentChange.NotFound, null);
        if (!env.ProjectIds.Contains(projectId)) return new(EnvironmentChange.ProjectNotMember, env);
        return await ChangedAsync(envId, env with { ProjectIds = [.. env.ProjectIds.Where(p => p != projectId)], UpdatedAt = clock.GetUtcNow() });
    }

    /// <summary>
    /// Stores an environment created, renamed, deleted (<paramref name="after"/> null) or with projects joining or
    /// leaving. Every change passes here: aggregates kept per environment hook in at this point.
    /// </summary>
    private async Task<EnvironmentResult> ChangedAsync(string envId, EnvironmentInfo? after)
    {
        var before = Environments.GetValueOrDefault(envId);
        if (after is null) Environments.Remove(envId);
        else Environments[envId] = after;
        await state.WriteStateAsync();
        await TellOverviewAsync(envId, before, after);
        return new(EnvironmentChange.Done, after);
    }

    // The account's overview groups projects by environment: it learns every change here.
    private async Task TellOverviewAsync(string envId, EnvironmentInfo? before, EnvironmentInfo? after)
    {
        var overview = GrainFactory.GetGrain<IOverviewGrain>(this.GetPrimaryKey());
        if (after is null)
        {
            await overview.RemoveEnvironmentAsync(envId);
            return;
        }
        if (before?.Name != after.Name) await overview.SetEnvironmentAsync(envId, after.Name);
        var had = before?.ProjectIds ?? [];
        foreach (var joined in after.ProjectIds.Except(had)) await overview.SetProjectEnvironmentAsync(joined, envId, after.Name);
        foreach (var left in had.Except(after.ProjectIds)) await overview.SetProjectEnvironmentAsync(left, null, null);
    }

    private EnvironmentInfo? Owner(Guid projectId) => Environments.Values.FirstOrDefault(e => e.ProjectIds.Contains(projectId));
}
