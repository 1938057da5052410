using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Auth;

/// <summary>
/// Resolves a project for a caller. A project the caller cannot reach is hidden on reads (404, as if it did not
/// exist) and refused on writes (403), so keys of one tenant learn nothing about another's data.
/// </summary>
public static class ProjectAccess
{
    public static async Task<(ProjectInfo? Project, JsonHttpResult<ErrorEnvelope>? Error)> ResolveAsync(
        IGrainFactory grains, SeismoCaller caller, Guid projectId, Permission permission)
    {
        var project = await grains.GetGrain<IProjectGrain>(projectId).GetAsync();
        if (project is null) return (null, ApiError.NotFound("Project", projectId.ToString()));
        if (!caller.Reaches(project))
        {
            return permission == Permission.View
                ? (null, ApiError.NotFound("Project", projectId.ToString()))
                : (null, ApiError.Forbidden($"This key cannot write to project '{projectId}'"));
        }
        if (!caller.Has(permission)) return (null, ApiError.Forbidden($"This key's role ({caller.Role.ToString().ToLowerInvariant()}) does not allow {permission.ToString().ToLowerInvariant()}"));
        return (project, null);
    }
}
