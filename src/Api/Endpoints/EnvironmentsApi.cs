using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Environments (production, staging…) and their projects. An environment's id is a slug, given or derived from its
/// name; a project belongs to at most one environment. Creating and changing need manage with an account key.
/// </summary>
public static partial class EnvironmentsApi
{
    public static IEndpointRouteBuilder MapEnvironmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/environments").WithTags("Environments").RequireAuthorization(Policies.View);
        group.MapGet("/", ListAsync).WithSummary("Environments of the key's account (view)");
        group.MapPost("/", CreateAsync).WithSummary("Create an environment: {name, id?, description?} (manage)").RequireAuthorization(Policies.Manage);
        group.MapPatch("/{envId}", UpdateAsync).WithSummary("Rename or describe an environment: {name?, description?} (manage)").RequireAuthorization(Policies.Manage);
        group.MapDelete("/{envId}", DeleteAsync).WithSummary("Delete an environment; its projects stay, without one (manage)").RequireAuthorization(Policies.Manage);
        group.MapGet("/{envId}/projects", ListProjectsAsync).WithSummary("Projects of an environment (view)");
        group.MapPost("/{envId}/projects", AddProjectAsync)
            .WithSummary("Create a project in the environment {name}, or move an existing one in {projectId} (manage)").RequireAuthorization(Policies.Manage);
        group.MapDelete("/{envId}/projects/{projectId}", RemoveProjectAsync)
            .WithSummary("Take a project out of the environment; its runs and tests stay (manage)").RequireAuthorization(Policies.Manage);
        return app;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,59}$")]
    private static partial Regex EnvIdPattern();

    private static async Task<Ok<DataList<EnvironmentDto>>> ListAsync(HttpContext http, IGrainFactory grains)
    {
        var caller = SeismoCaller.From(http.User);
        var envs = await grains.GetGrain<IEnvironmentsGrain>(caller.AccountId).ListAsync();
        return TypedResults.Ok(new DataList<EnvironmentDto>(envs.Where(e => EnvironmentAccess.Sees(caller, e)).Select(e => ToDto(caller, e)).ToList()));
    }

    private static async Task<Results<Created<EnvironmentDto>, JsonHttpResult<ErrorEnvelope>>> CreateAsync(HttpContext http, IGrainFactory grains)
    {
        var caller = SeismoCaller.From(http.User);
        if (!caller.IsAccountKey) return ApiError.Forbidden("A project key cannot create environments; use an account key");
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var name = body!.String("name", required: true, maxLength: 200);
        var id = body.String("id", maxLength: 60);
        var description = body.String("description", maxLength: 2000);
        if ((body.Error ?? body.Unknown("name", "id", "description")) is { } invalid) return ApiError.Validation(invalid);
        id ??= ProjectsApi.UniqueSlug(name!, new HashSet<string>());
        if (!EnvIdPattern().IsMatch(id)) return ApiError.Validation("id", "invalid_format", "Field 'id' must be lower-case letters, digits and '-', at most 60");
        var result = await grains.GetGrain<IEnvironmentsGrain>(caller.AccountId).CreateAsync(id, name!.Trim(), description);
        if (result.Change == EnvironmentChange.AlreadyExists) return Conflict($"Environment '{id}' exists already");
        return TypedResults.Created($"/api/environments/{id}", ToDto(caller, result.Environment!));
    }

    private static async Task<Results<Ok<EnvironmentDto>, JsonHttpResult<ErrorEnvelope>>> UpdateAsync(HttpContext http, IGrainFactory grains, string envId)
    {
        var caller = SeismoCaller.From(http.User);
        var (env, missing) = await EnvironmentAccess.EnvironmentAsync(grains, caller, envId);
        if (missing is not null) return missing;
        if (!caller.IsAccountKey) return ApiError.Forbidden("A project key cannot change environments; use an account key");
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var name = body!.String("name", maxLength: 200);
        var description = body.String("description", maxLength: 2000);
        if ((body.Error ?? body.Unknown("name", "description")) is { } invalid) return ApiError.Validation(invalid);
        if (name is not null && name.Trim().Length == 0) return ApiError.Validation("name", "empty", "Field 'name' must not be empty");
        var result = await grains.GetGrain<IEnvironmentsGrain>(caller.AccountId).UpdateAsync(env!.Id, name?.Trim(), description);
        return result.Environment is { } updated ? TypedResults.Ok(ToDto(caller, updated)) : ApiError.NotFound("Environment", envId);
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorEnvelope>>> DeleteAsync(HttpContext http, IGrainFactory grains, string envId)
    {
        var caller = SeismoCaller.From(http.User);
        var (env, missing) = await EnvironmentAccess.EnvironmentAsync(grains, caller, envId);
        if (missing is not null) return missing;
        if (!caller.IsAccountKey) return ApiError.Forbidden("A project key cannot delete environments; use an account key");
        await grains.GetGrain<IEnvironmentsGrain>(caller.AccountId).DeleteAsync(env!.Id);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<DataList<EnvironmentProjectDto>>, JsonHttpResult<ErrorEnvelope>>> ListProjectsAsync(
        HttpContext http, IGrainFactory grains, string envId)
    {
        var caller = SeismoCaller.From(http.User);
        var (env, missing) = await EnvironmentAccess.EnvironmentAsync(grains, caller, envId);
        if (missing is not null) return missing;
        var ids = env!.ProjectIds.Where(p => caller.ProjectId is null || caller.ProjectId == p);
        var projects = await Task.WhenAll(ids.Select(id => grains.GetGrain<IProjectGrain>(id).GetAsync()));
        return TypedResults.Ok(new DataList<EnvironmentProjectDto>(projects.OfType<ProjectInfo>().Select(p => ToDto(p, env.Id)).ToList()));
    }

    private static async Task<Results<Created<EnvironmentProjectDto>, JsonHttpResult<ErrorEnvelope>>> AddProjectAsync(
        HttpContext http, IGrainFactory grains, string envId)
    {
        var caller = SeismoCaller.From(http.User);
        var (env, missing) = await EnvironmentAccess.EnvironmentAsync(grains, caller, envId);
        if (missing is not null) return missing;
        if (!caller.IsAccountKey) return ApiError.Forbidden("A project key cannot add projects; use an account key");
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var name = body!.String("name", maxLength: 200);
        var existingId = body.Guid("projectId");
        if ((body.Error ?? body.Unknown("name", "projectId")) is { } invalid) return ApiError.Validation(invalid);
        if (name is null == existingId is null)
            return ApiError.Validation("name", "required", "Give either 'name' (a new project) or 'projectId' (an existing one)");

        ProjectInfo project;
        if (existingId is { } pid)
        {
            var (found, denied) = await ProjectAccess.ResolveAsync(grains, caller, pid, Permission.Manage);
            if (denied is not null) return denied;
            project = found!;
        }
        else
        {
            if (name!.Trim().Length == 0) return ApiError.Validation("name", "empty", "Field 'name' must not be empty");
            project = await ProjectsApi.CreateInAccountAsync(grains, caller.AccountId, name.Trim());
        }
        var result = await grains.GetGrain<IEnvironmentsGrain>(caller.AccountId).AddProjectAsync(env!.Id, project.Id);
        return result.Change switch
        {
            EnvironmentChange.Done => TypedResults.Created($"/api/environments/{env.Id}/projects/{project.Slug}", ToDto(project, env.Id)),
            EnvironmentChange.ProjectInOtherEnvironment => Conflict($"Project '{project.Slug}' belongs to environment '{result.OtherEnvironmentId}'; remove it there first"),
            _ => ApiError.NotFound("Environment", envId),
        };
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorEnvelope>>> RemoveProjectAsync(
        HttpContext http, IGrainFactory grains, string envId, string projectId)
    {
        var caller = SeismoCaller.From(http.User);
        var (env, project, error) = await EnvironmentAccess.ProjectAsync(grains, caller, envId, projectId, Permission.Manage);
        if (error is not null) return error;
        if (!caller.IsAccountKey) return ApiError.Forbidden("A project key cannot remove projects; use an account key");
        var result = await grains.GetGrain<IEnvironmentsGrain>(caller.AccountId).RemoveProjectAsync(env!.Id, project!.Id);
        return result.Change == EnvironmentChange.Done ? TypedResults.NoContent() : ApiError.NotFound("Project", projectId);
    }

    internal static JsonHttpResult<ErrorEnvelope> Conflict(string message, IReadOnlyDictionary<string, object?>? details = null) =>
        ApiError.Of(StatusCodes.Status409Conflict, "CONFLICT", message, details);

    private static EnvironmentDto ToDto(SeismoCaller caller, EnvironmentInfo e)
    {
        var ids = e.ProjectIds.Where(p => caller.ProjectId is null || caller.ProjectId == p).ToList();
        return new EnvironmentDto(e.Id, e.Name, e.Description, ids.Count, ids, e.CreatedAt, e.UpdatedAt);
    }

    private static EnvironmentProjectDto ToDto(ProjectInfo p, string envId) => new(p.Id, p.Name, p.Slug, envId, p.AccountId, p.CreatedAt, p.UpdatedAt);
}
