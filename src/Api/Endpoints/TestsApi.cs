using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Identity;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Test results and tests. With runId the list is that run's results; without, the project's test catalogue
/// (each test with its latest result). <c>{id}</c> is a result id (one execution) or a test id (its latest).
/// </summary>
public static class TestsApi
{
    private static readonly string[] Statuses = ["passed", "failed", "skipped", "flaky", "error"];

    public static IEndpointRouteBuilder MapTestsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tests").WithTags("Tests").RequireAuthorization(Policies.View)
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.TestsRead));
        group.MapGet("/", ListAsync).WithSummary("Results of a run (runId) or tests of a project: projectId, runId, status, search, limit, offset");
        group.MapGet("/{id}", GetAsync).WithSummary("A result (result id) or a test's latest result (test id)");
        group.MapGet("/{id}/history", HistoryAsync).WithSummary("The last 20 results of the test");
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext http, IGrainFactory grains,
        string? projectId, string? runId, string? status, string? search, string? limit, string? offset)
    {
        var caller = SeismoCaller.From(http.User);
        var paging = QueryParams.Paging(limit, offset, out var take, out var skip);
        var invalid = QueryParams.OneOf("status", status, Statuses) ?? paging;
        if (invalid is not null) return ApiError.Validation(invalid);
        if (string.IsNullOrWhiteSpace(search)) search = null;

        if (runId is not null)
        {
            var (run, error) = await RunsApi.ResolveAsync(http, grains, runId);
            if (error is not null) return error;
            if (projectId is not null && projectId != run!.Metadata.ProjectId.ToString()) return ApiError.NotFound("Run", runId);
            var results = await grains.GetGrain<IRunGrain>(run!.Metadata.RunGuid).GetResultsAsync();
            var matches = Enumerable.Range(0, results.Count)
                .Where(i => (status is null || Mapping.StatusName(results[i].Status) == status) && (search is null || Matches(results[i], search)))
                .ToList();
            var shown = matches.Skip(skip).Take(take).ToArray();
            var flags = await grains.GetGrain<IProjectGrain>(run.Metadata.ProjectId).GetTestFlagsAsync(shown.Select(i => results[i].KeyHash).ToArray());
            var page = shown.Select((i, n) => Mapping.ToResult(run, results[i], i, flags[n])).ToList();
            return TypedResults.Ok(new PagedList<TestResultDto>(page, matches.Count, take, skip));
        }

        invalid = QueryParams.Project(caller, projectId, out var project);
        if (invalid is not null) return ApiError.Validation(invalid);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, project, Permission.View);
        if (denied is not null) return denied;
        var tests = await grains.GetGrain<IProjectGrain>(project).ListTestsAsync(status, search, take, skip);
        return TypedResults.Ok(new PagedList<TestCatalogItemDto>(tests.Items.Select(t => Mapping.ToCatalogItem(project, t)).ToList(), tests.Total, take, skip));
    }

    private static async Task<Results<Ok<TestDetailDto>, JsonHttpResult<ErrorEnvelope>>> GetAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var caller = SeismoCaller.From(http.User);
        Guid runGuid;
        int index;
        TestView? test;
        if (PublicIds.TryParseResultId(id, out runGuid, out index))
        {
            test = null;
        }
        else if (PublicIds.TryParseTestId(id, out var projectId, out var hash))
        {
            var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, projectId, Permission.View);
            if (denied is not null) return ApiError.NotFound("Test", id);
            test = await grains.GetGrain<ITestGrain>(PublicIds.TestGrainKey(projectId, hash)).GetAsync();
            if (test?.Latest is not { } latest) return ApiError.NotFound("Test", id);
            (runGuid, index) = (latest.RunGuid, latest.ResultIndex);
        }
        else
        {
            return ApiError.NotFound("Test", id);
        }

        var runGrain = grains.GetGrain<IRunGrain>(runGuid);
        var run = await runGrain.GetAsync();
        if (run is null) return ApiError.NotFound("Test", id);
        var (_, hidden) = await ProjectAccess.ResolveAsync(grains, caller, run.Metadata.ProjectId, Permission.View);
        if (hidden is not null) return ApiError.NotFound("Test", id);
        var results = await runGrain.GetResultsAsync();
        if (index >= results.Count) return ApiError.NotFound("Test", id);
        var result = results[index];
        test ??= await grains.GetGrain<ITestGrain>(PublicIds.TestGrainKey(run.Metadata.ProjectId, result.KeyHash)).GetAsync();
        var detail = ToDetail(run, result, index, test);
        if (run.Metadata.Reporter is not null && await grains.GetGrain<IReporterRunGrain>(runGuid).GetDetailAsync(index) is { } reported)
            detail = WithReported(detail, reported);
        return TypedResults.Ok(detail);
    }

    private static async Task<Results<Ok<HistoryDto>, JsonHttpResult<ErrorEnvelope>>> HistoryAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var caller = SeismoCaller.From(http.User);
        Guid projectId;
        string hash;
        if (PublicIds.TryParseTestId(id, out projectId, out hash)) { }
        else if (PublicIds.TryParseResultId(id, out var runGuid, out var index))
        {
            var run = await grains.GetGrain<IRunGrain>(runGuid).GetAsync();
            var results = run is null ? [] : await grains.GetGrain<IRunGrain>(runGuid).GetResultsAsync();
            if (run is null || index >= results.Count) return ApiError.NotFound("Test", id);
            (projectId, hash) = (run.Metadata.ProjectId, results[index].KeyHash);
        }
        else return ApiError.NotFound("Test", id);

        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, projectId, Permission.View);
        if (denied is not null) return ApiError.NotFound("Test", id);
        var test = await grains.GetGrain<ITestGrain>(PublicIds.TestGrainKey(projectId, hash)).GetAsync();
        if (test is null) return ApiError.NotFound("Test", id);
        var items = test.History.Select((e, i) => new HistoryItemDto(e.RunId, PublicIds.ResultId(e.RunGuid, e.ResultIndex),
            Mapping.StatusName(e.Status), e.DurationMs, e.Branch, e.CommitSha, e.CreatedAt, e.Message,
            test.HistoryScores is { } scores && i < scores.Length && scores[i] is { } score ? Math.Round(score, 4) : null)).ToList();
        return TypedResults.Ok(new HistoryDto(items, items.Count));
    }

    private static TestDetailDto ToDetail(RunSummary run, TestResult r, int index, TestView? test) => new(
        PublicIds.ResultId(run.Metadata.RunGuid, index), Mapping.TestIdOf(run.Metadata.ProjectId, r), run.Metadata.Id, run.Metadata.ProjectId,
        r.Key, r.Title, r.FullTitle, r.FilePath, r.Line, Mapping.StatusName(r.Status), r.DurationMs, Math.Max(0, r.Attempts - 1), r.Attempts,
        r.Status == TestStatus.Flaky, Mapping.ErrorOf(r), test?.TotalRuns ?? 0, test?.Passed ?? 0, test?.Failed ?? 0, test?.Skipped ?? 0,
        test?.Flaky ?? 0, test?.IsQuarantined ?? false, test is null ? null : Math.Round(test.Flakiness.Score, 4), test?.Flakiness.Label,
        test?.Flakiness.Reason, test?.Flakiness.LastFlakyAt,
        test?.Quarantine is { } q ? new TestQuarantineDto(q.IsQuarantined, q.Automatic, q.DecidedBy, q.UpdatedAt, q.CleanRuns, q.CleanRunsNeeded) : null,
        run.Metadata.CreatedAt);

    private static TestDetailDto WithReported(TestDetailDto detail, ResultDetail reported) => detail with
    {
        Retries = reported.Retries,
        Attempt = reported.Attempt,
        Error = detail.Error is { } e ? e with { Expected = reported.ErrorExpected, Actual = reported.ErrorActual } : null,
        Tags = reported.Tags,
        Annotations = System.Text.Json.JsonDocument.Parse(reported.AnnotationsJson ?? "[]").RootElement.Clone(),
        Stdout = reported.Stdout ?? "",
        Stderr = reported.Stderr ?? "",
    };

    private static bool Matches(TestResult r, string search) =>
        r.Key.Contains(search, StringComparison.OrdinalIgnoreCase) || (r.FilePath?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false);
}
