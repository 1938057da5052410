using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Auth;

/// <summary>
/// Resolves an environment and a project in it for a caller. Environments belong to the caller's account; a project
/// key sees only the environment holding its project. The project is named by its id or its slug.
/// </summary>
public static class EnvironmentAccess
{
    public static async Task<(EnvironmentInfo? Environment, JsonHttpResult<ErrorEnvelope>? Error)> EnvironmentAsync(
        IGrainFactory grains, SeismoCaller caller, string envId)
    {
        var env = await grains.GetGrain<IEnvironmentsGrain>(caller.AccountId).GetAsync(envId);
        if (env is null || !Sees(caller, env)) return (null, ApiError.NotFound("Environment", envId));
        return (env, null);
    }

    public static async Task<(EnvironmentInfo? Environment, ProjectInfo? Project, JsonHttpResult<ErrorEnvelope>? Error)> ProjectAsync(
        IGrainFactory grains, SeismoCaller caller, string envId, string projectRef, Permission permission)
    {
        var (env, error) = await EnvironmentAsync(grains, caller, envId);
        if (error is not null) return (null, null, error);
        Guid? id = Guid.TryParse(projectRef, out var parsed) && env!.ProjectIds.Contains(parsed) ? parsed : null;
        if (id is null)
        {
            var projects = await Task.WhenAll(env!.ProjectIds.Select(p => grains.GetGrain<IProjectGrain>(p).GetAsync()));
            id = projects.OfType<ProjectInfo>().FirstOrDefault(p => p.Slug == projectRef)?.Id;
        }
        if (id is null) return (env, null, ApiError.NotFound("Project", projectRef));
        var (project, denied) = await ProjectAccess.ResolveAsync(grains, caller, id.Value, permission);
        return (env, project, denied);
    }

    public static bool Sees(SeismoCaller caller, EnvironmentInfo env) => caller.ProjectId is not { } own || env.ProjectIds.Contains(own);
}
