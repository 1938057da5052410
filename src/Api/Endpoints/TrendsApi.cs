using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Identity;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// A project's daily trend (runs and results per UTC day, every day of the window, empty days as zeros) and its
/// most failing tests, read from counters the project keeps on write. Permission view.
/// </summary>
public static class TrendsApi
{
    public const int DefaultDays = 30;
    public const int DefaultTop = 10;
    public const int MaxTop = 50;

    public static IEndpointRouteBuilder MapTrendsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/projects/{id}/trends", GetAsync).WithTags("Projects").RequireAuthorization(Policies.View)
            .WithSummary($"Daily runs and results (days 1..{Seismo.Grains.Projects.ProjectTrends.DaysKept}, default {DefaultDays}) and the most failing tests (top 0..{MaxTop}, default {DefaultTop})");
        return app;
    }

    private static async Task<Results<Ok<ProjectTrendsDto>, JsonHttpResult<ErrorEnvelope>>> GetAsync(
        HttpContext http, IGrainFactory grains, TimeProvider clock, string id, string? days, string? top)
    {
        if (!Guid.TryParse(id, out var projectId)) return ApiError.NotFound("Project", id);
        var invalidDays = Range("days", days, DefaultDays, 1, Seismo.Grains.Projects.ProjectTrends.DaysKept, out var dayCount);
        var invalidTop = Range("top", top, DefaultTop, 0, MaxTop, out var topCount);
        var invalid = invalidDays ?? invalidTop;
        if (invalid is not null) return ApiError.Validation(invalid);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(http.User), projectId, Permission.View);
        if (denied is not null) return denied;

        var view = await grains.GetGrain<IProjectGrain>(projectId).GetTrendsAsync(dayCount, topCount);
        var byDay = view.Days.ToDictionary(d => d.DayNumber);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).DayNumber;
        var series = Enumerable.Range(today - dayCount + 1, dayCount).Select(n => byDay.TryGetValue(n, out var d)
            ? new TrendDayDto(DateOnly.FromDayNumber(n), d.Runs, d.FailedRuns, d.Passed, d.Failed, d.Skipped, d.Flaky, d.Runs == 0 ? 0 : d.DurationMs / d.Runs)
            : new TrendDayDto(DateOnly.FromDayNumber(n), 0, 0, 0, 0, 0, 0, 0)).ToList();
        var failing = view.TopFailing.Select(f => new FailingTestDto(PublicIds.TestId(projectId, f.KeyHash), f.Title, f.FilePath, f.Failures,
            f.TotalRuns, f.TotalRuns == 0 ? 0 : Math.Round((double)f.Failures / f.TotalRuns, 4), f.LastFailedAt, f.LastRunId, f.LastMessage)).ToList();
        return TypedResults.Ok(new ProjectTrendsDto(projectId, series, failing));
    }

    private static FieldError? Range(string name, string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (text is null) return null;
        return int.TryParse(text, out value) && value >= min && value <= max
            ? null
            : new FieldError(name, "out_of_range", $"Query parameter '{name}' must be an integer from {min} to {max}");
    }
}
