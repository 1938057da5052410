using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Identity;
using Seismo.Domain.Reporting;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// The describe blocks of a reported run: upserted by title + filePath within the run (the same pair is the same
/// suite, its parent updated), listed as a tree. Post with upload, list with view.
/// </summary>
public static class TestSuitesApi
{
    public static IEndpointRouteBuilder MapTestSuitesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/test-suites").WithTags("Tests");
        group.MapPost("/", UpsertAsync).WithSummary("Create or update a suite of a run (title + filePath identify it)")
            .RequireAuthorization(Policies.Upload).AddEndpointFilter(RateLimits.Filter(RateLimitGroup.TestsWrite));
        group.MapGet("/", ListAsync).WithSummary("The suites of a run as a tree: runId, projectId")
            .RequireAuthorization(Policies.View).AddEndpointFilter(RateLimits.Filter(RateLimitGroup.TestsRead));
        return app;
    }

    private static async Task<Results<Created<SuiteDto>, Ok<SuiteDto>, JsonHttpResult<ErrorEnvelope>>> UpsertAsync(HttpContext http, IGrainFactory grains)
    {
        var caller = SeismoCaller.From(http.User);
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var runId = body!.String("runId", required: true, maxLength: 128);
        var projectId = body.Guid("projectId", required: caller.IsAccountKey) ?? caller.ProjectId ?? Guid.Empty;
        var title = body.String("title", required: true, maxLength: 4096);
        var filePath = body.String("filePath", maxLength: 2048);
        var parent = body.String("parentSuiteId", maxLength: 64);
        if (body.Error is not null) return ApiError.Validation(body.Error);
        if (!PublicIds.TryParseRunId(runId, out var runGuid)) return ApiError.Validation("runId", "invalid_format", "Field 'runId' is not a run id");

        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, projectId, Permission.Upload);
        if (denied is not null) return denied;
        var reporter = grains.GetGrain<IReporterRunGrain>(runGuid);
        if ((await reporter.GetAsync())?.Summary.Metadata.ProjectId != projectId) return ApiError.NotFound("Run", runId!);
        var existed = (await reporter.ListSuitesAsync()).Any(s => s.Title == title && s.FilePath == filePath);
        var outcome = await reporter.UpsertSuiteAsync(title!, filePath, parent);
        switch (outcome.Status)
        {
            case SuiteStatus.RunNotFound: return ApiError.NotFound("Run", runId!);
            case SuiteStatus.ParentNotFound: return ApiError.Validation("parentSuiteId", "not_found", $"Suite '{parent}' is not a suite of run '{runId}'");
            case SuiteStatus.ParentCycle: return ApiError.Validation("parentSuiteId", "cycle", $"Suite '{parent}' is inside this suite; it cannot be its parent");
        }
        var s = outcome.Suite!;
        var dto = new SuiteDto(s.Id, runGuid.ToString(), projectId, s.Title, s.FilePath, s.ParentSuiteId, s.CreatedAt);
        return existed ? TypedResults.Ok(dto) : TypedResults.Created($"/api/test-suites?runId={runGuid}", dto);
    }

    private static async Task<Results<Ok<DataList<SuiteNodeDto>>, JsonHttpResult<ErrorEnvelope>>> ListAsync(
        HttpContext http, IGrainFactory grains, string? runId, string? projectId)
    {
        var caller = SeismoCaller.From(http.User);
        if (runId is null) return ApiError.Validation("runId", "required", "Query parameter 'runId' is required");
        var invalid = QueryParams.Project(caller, projectId, out var project);
        if (invalid is not null) return ApiError.Validation(invalid);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, project, Permission.View);
        if (denied is not null) return denied;
        if (!PublicIds.TryParseRunId(runId, out var runGuid)) return ApiError.NotFound("Run", runId);
        var reporter = grains.GetGrain<IReporterRunGrain>(runGuid);
        var view = await reporter.GetAsync();
        if (view is null)
        {
            // A /collect run of this project has no suites; anything else is not found.
            return await grains.GetGrain<IRunGrain>(runGuid).GetAsync() is { } run && run.Metadata.ProjectId == project
                ? TypedResults.Ok(new DataList<SuiteNodeDto>([]))
                : ApiError.NotFound("Run", runId);
        }
        if (view.Summary.Metadata.ProjectId != project) return ApiError.NotFound("Run", runId);
        var flat = (await reporter.ListSuitesAsync()).Select(s => new SuiteTree.Flat(s.Id, s.Title, s.FilePath, s.ParentSuiteId)).ToList();
        return TypedResults.Ok(new DataList<SuiteNodeDto>(SuiteTree.Build(flat).Select(ToDto).ToList()));
    }

    private static SuiteNodeDto ToDto(SuiteTree.Node n) => new(n.Id, n.Title, n.FilePath, n.ParentId, n.Children.Select(ToDto).ToList());
}
