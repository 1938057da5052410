using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>Renaming (manage) and deleting (manage, account key) a project, as Euriqa's PATCH and DELETE /api/projects/{id}.</summary>
public static class ProjectAdminApi
{
    public static IEndpointRouteBuilder MapProjectAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects").WithTags("Projects").RequireAuthorization(Policies.Manage)
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.ProjectsTeams));
        group.MapPatch("/{id}", RenameAsync).WithSummary("Rename a project: {name}");
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a project and all its data: runs, tests, artifacts, keys, webhooks (account key)");
        return app;
    }

    private static async Task<Results<Ok<ProjectRenamedDto>, JsonHttpResult<ErrorEnvelope>>> RenameAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var name = body!.String("name", required: true, maxLength: 200);
        if (body.Error is not null) return ApiError.Validation(body.Error);
        if (!Guid.TryParse(id, out var projectId)) return ApiError.NotFound("Project", id);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(http.User), projectId, Permission.Manage);
        if (denied is not null) return denied;
        var renamed = await grains.GetGrain<IProjectGrain>(projectId).RenameAsync(name!.Trim());
        return renamed is null ? ApiError.NotFound("Project", id) : TypedResults.Ok(new ProjectRenamedDto(renamed.Id, renamed.Name, renamed.AccountId, renamed.UpdatedAt));
    }

    private static async Task<Results<Ok<DeletedDto>, JsonHttpResult<ErrorEnvelope>>> DeleteAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var caller = SeismoCaller.From(http.User);
        if (!Guid.TryParse(id, out var projectId)) return ApiError.NotFound("Project", id);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, projectId, Permission.Manage);
        if (denied is not null) return denied;
        if (!caller.IsAccountKey) return ApiError.Forbidden("A project key cannot delete projects; use an account key");
        return await grains.GetGrain<IProjectGrain>(projectId).DeleteProjectAsync()
            ? TypedResults.Ok(new DeletedDto(true, "Project deleted successfully"))
            : ApiError.NotFound("Project", id);
    }
}
