using Seismo.Domain.Identity;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Projects;

/// <summary>Renaming and deleting the project itself (PATCH and DELETE /api/projects/{id}).</summary>
public sealed partial class ProjectGrain
{
    private const int ClearBatch = 500;

    public async Task<ProjectInfo?> RenameAsync(string name)
    {
        if (state.State.Info is not { } info) return null;
        state.State.Info = info with { Name = name, UpdatedAt = clock.GetUtcNow() };
        await state.WriteStateAsync();
        return state.State.Info;
    }

    public async Task<bool> DeleteProjectAsync()
    {
        if (state.State.Info is not { } info) return false;
        var projectId = this.GetPrimaryKey();

        // Its repositories first, so no pipeline report lands in the project while it goes; then the grains holding its
        // data; the log last: a failure part-way leaves a project that can be deleted again.
        await GrainFactory.GetGrain<IRepositoryDirectoryGrain>(info.AccountId).ForgetProjectAsync(projectId);
        await GrainFactory.GetGrain<IProjectPipelinesGrain>(projectId).ClearAsync();
        var reported = state.State.ReporterRuns.Keys.ToList();
        await foreach (var run in store.ReadAfterAsync(projectId, 0))
        {
            if (run.Summary.Metadata.Reporter is not null) reported.Add(run.Summary.Metadata.RunGuid);
        }
        foreach (var chunk in reported.Chunk(ClearBatch))
            await Task.WhenAll(chunk.Select(r => GrainFactory.GetGrain<IReporterRunGrain>(r).ClearAsync()));
        foreach (var chunk in state.State.Tests.Keys.ToList().Chunk(ClearBatch))
            await Task.WhenAll(chunk.Select(h => GrainFactory.GetGrain<ITestGrain>(PublicIds.TestGrainKey(projectId, h)).ClearAsync()));
        var webhooks = GrainFactory.GetGrain<IWebhookGrain>(projectId);
        foreach (var hook in await webhooks.ListAsync()) await webhooks.DeleteAsync(hook.Id);
        await GrainFactory.GetGrain<IAccountGrain>(info.AccountId).RemoveProjectAsync(projectId);
        await GrainFactory.GetGrain<IOverviewGrain>(info.AccountId).RemoveProjectAsync(projectId);

        await store.DeleteProjectAsync(projectId);
        ArtifactPaths.Delete(ArtifactPaths.Project(options.Value.DataDir, projectId));
        ArtifactPaths.Delete(archives.ProjectDirectory(projectId));

        _catalog.Clear();
        _pending.Clear();
        _dirty = false;
        await state.ClearStateAsync();
        state.State = new ProjectState();
        _feed = new LiveFeed(state.State, options.Value.LiveReplayCapacity);
        DeactivateOnIdle();
        return true;
    }
}
