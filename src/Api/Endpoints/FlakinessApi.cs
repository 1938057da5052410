using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Identity;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Flakiness (Euriqa's shape): tests by score from the project's index kept on write, and manual quarantine.
/// The listing returns every matching test, as the contract says; <c>limit</c> and <c>offset</c> page it.
/// </summary>
public static class FlakinessApi
{
    public static IEndpointRouteBuilder MapFlakinessApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/flakiness").WithTags("Flakiness").RequireAuthorization(Policies.View);
        group.MapGet("/", ListAsync).AddEndpointFilter(RateLimits.Filter(RateLimitGroup.TestsRead))
            .WithSummary("Tests by flakiness score, highest first: projectId, minScore (0..1), quarantined, limit, offset (view)");
        group.MapPost("/", QuarantineAsync)
            .WithSummary("Quarantine or release a test: {testId, projectId, isQuarantined} (upload); a person's decision wins over the automatic rule")
            .RequireAuthorization(Policies.Upload).AddEndpointFilter(RateLimits.Filter(RateLimitGroup.TestsWrite));
        return app;
    }

    private static async Task<Results<Ok<FlakinessListDto>, JsonHttpResult<ErrorEnvelope>>> ListAsync(
        HttpContext http, IGrainFactory grains, string? projectId, string? minScore, string? quarantined, string? limit, string? offset)
    {
        var caller = SeismoCaller.From(http.User);
        // Every parameter is read (no short-circuit), and the first problem is reported.
        var problems = new[]
        {
            QueryParams.Project(caller, projectId, out var project),
            Score(minScore, out var min),
            QueryParams.Bool("quarantined", quarantined, out var onlyQuarantined),
            // Unlike other lists, no default cap: the contract returns every test.
            QueryParams.Paging(limit, offset, out var take, out var skip, defaultLimit: int.MaxValue),
        };
        var invalid = problems.FirstOrDefault(p => p is not null);
        if (invalid is not null) return ApiError.Validation(invalid);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, project, Permission.View);
        if (denied is not null) return denied;

        var page = await grains.GetGrain<IProjectGrain>(project).ListFlakinessAsync(min, onlyQuarantined, take, skip);
        var rows = page.Rows.Select(r => new FlakinessItemDto(r.TestId, r.Title, r.FilePath, Math.Round(r.Score, 4), Mapping.LabelName(r.Label),
            r.TotalRuns, r.FlakyRuns, r.LastFlakyAt, r.IsQuarantined, r.Reason)).ToList();
        var summary = new FlakinessSummaryDto(page.Summary.FlakyTests, page.Summary.QuarantinedTests, Math.Round(page.Summary.AverageFlakyScore, 4));
        return TypedResults.Ok(new FlakinessListDto(rows, summary, page.Total));
    }

    private static async Task<Results<Ok<QuarantineResultDto>, JsonHttpResult<ErrorEnvelope>>> QuarantineAsync(HttpContext http, IGrainFactory grains)
    {
        var caller = SeismoCaller.From(http.User);
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var testId = body!.String("testId", required: true, maxLength: 200);
        var projectId = body.Guid("projectId", required: true);
        var isQuarantined = body.Bool("isQuarantined", required: true);
        if (body.Error is not null) return ApiError.Validation(body.Error);

        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, projectId!.Value, Permission.Upload);
        if (denied is not null) return denied;
        if (!PublicIds.TryParseTestId(testId!, out var testProject, out var hash) || testProject != projectId)
            return ApiError.NotFound("Test", testId!);
        var decision = await grains.GetGrain<ITestGrain>(PublicIds.TestGrainKey(testProject, hash))
            .SetQuarantineAsync(isQuarantined!.Value, $"key:{caller.KeyId}");
        return decision is null
            ? ApiError.NotFound("Test", testId!)
            : TypedResults.Ok(new QuarantineResultDto(testId!, decision.IsQuarantined, decision.UpdatedAt));
    }

    private static FieldError? Score(string? text, out double score)
    {
        score = 0;
        if (text is null) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out score) && score is >= 0 and <= 1
            ? null
            : new FieldError("minScore", "out_of_range", "Query parameter 'minScore' must be a number from 0 to 1");
    }
}
