using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Api.Ingest;
using Seismo.Domain.Identity;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>Runs (observations from /collect are runs too; the observation id is the run id). Permission view.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("Runs").RequireAuthorization(Policies.View)
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.RunsRead));
        group.MapGet("/", ListAsync).WithSummary("Runs of a project, newest first: projectId, status, branch, limit, offset");
        group.MapGet("/{id}", GetAsync).WithSummary("One run with all its metadata (id: run UUID or observation id)");
        group.MapGet("/{id}/output", OutputAsync).WithSummary("The run's output.txt as text/plain");
        return app;
    }

    private static async Task<Results<Ok<PagedList<RunListItemDto>>, JsonHttpResult<ErrorEnvelope>>> ListAsync(
        HttpContext http, IGrainFactory grains, string? projectId, string? status, string? branch, string? limit, string? offset)
    {
        var caller = SeismoCaller.From(http.User);
        var paging = QueryParams.Paging(limit, offset, out var take, out var skip);
        var invalid = QueryParams.Project(caller, projectId, out var project)
            ?? QueryParams.OneOf("status", status, "passed", "failed", "running", "cancelled") ?? paging;
        if (invalid is not null) return ApiError.Validation(invalid);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, project, Permission.View);
        if (denied is not null) return denied;

        var grain = grains.GetGrain<IProjectGrain>(project);
        var total = grain.CountRunsAsync(status, branch);
        var page = await grain.ListRunsAsync(status, branch, take, skip);
        return TypedResults.Ok(new PagedList<RunListItemDto>(page.Select(Mapping.ToListItem).ToList(), await total, take, skip));
    }

    private static async Task<Results<Ok<RunDetailDto>, JsonHttpResult<ErrorEnvelope>>> GetAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var (run, error) = await ResolveAsync(http, grains, id);
        if (error is not null) return error;
        var state = await grains.GetGrain<IRunGrain>(run!.Metadata.RunGuid).GetObservationStateAsync() ?? ObservationState.Pending;
        return TypedResults.Ok(Mapping.ToDetail(run, state));
    }

    private static async Task<Results<FileStreamHttpResult, JsonHttpResult<ErrorEnvelope>>> OutputAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var (run, error) = await ResolveAsync(http, grains, id);
        if (error is not null) return error;
        var output = await ArchiveOutput.OpenAsync(run!.Metadata, grains, http.RequestAborted);
        return output is null ? ApiError.NotFound("Output of run", id) : TypedResults.Stream(output, "text/plain; charset=utf-8");
    }

    /// <summary>A run the caller may view, or the 404 that hides it.</summary>
    internal static async Task<(RunSummary? Run, JsonHttpResult<ErrorEnvelope>? Error)> ResolveAsync(HttpContext http, IGrainFactory grains, string id)
    {
        if (!PublicIds.TryParseRunId(id, out var runGuid)) return (null, ApiError.NotFound("Run", id));
        var run = await grains.GetGrain<IRunGrain>(runGuid).GetAsync();
        if (run is null) return (null, ApiError.NotFound("Run", id));
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(http.User), run.Metadata.ProjectId, Permission.View);
        return denied is not null ? (null, ApiError.NotFound("Run", id)) : (run, null);
    }
}
