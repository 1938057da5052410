using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Domain.Pipelines;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// CircleCI Insights over RunWatch pipelines, from the hourly and daily buckets each workflow keeps on write: every
/// figure includes the last run ingested. Trends compare with the window of the same length just before.
/// </summary>
public static class InsightsApi
{
    private const string Slug = "{vcs}/{org}/{name}";

    public static IEndpointRouteBuilder MapInsightsApi(this IEndpointRouteBuilder app)
    {
        var insights = app.MapGroup("/api/v2/insights").WithTags("CircleCI Insights").RequireAuthorization(Policies.View);
        insights.MapGet($"/{Slug}/workflows", WorkflowsAsync).WithSummary("Summary metrics of a project's workflows");
        insights.MapGet($"/{Slug}/workflows/{{workflow}}", RecentRunsAsync).WithSummary("Recent runs of a workflow");
        insights.MapGet($"/{Slug}/workflows/{{workflow}}/jobs", JobsAsync).WithSummary("Summary metrics of a workflow's jobs");
        insights.MapGet($"/{Slug}/workflows/{{workflow}}/summary", SummaryAsync).WithSummary("Metrics and trends of a workflow");
        insights.MapGet($"/{Slug}/branches", BranchesAsync).WithSummary("Branches of a project");
        insights.MapGet($"/time-series/{Slug}/workflows/{{workflow}}/jobs", TimeSeriesAsync).WithSummary("Hourly or daily job metrics");
        InsightsReportsApi.Map(insights);
        return app;
    }

    private static IWorkflowInsightsGrain Workflow(IGrainFactory grains, Guid project, string workflow) =>
        grains.GetGrain<IWorkflowInsightsGrain>($"{project}/{workflow}");

    /// <summary>branch / all-branches as CircleCI reads them: neither means the default branch; both is an error.</summary>
    private static (string? Branch, JsonHttpResult<CircleError>? Error) Scope(string? branch, string? allBranches, PipelineCatalog catalog)
    {
        bool all = false;
        if (allBranches is not null && !bool.TryParse(allBranches, out all)) return (null, PipelineWire.Error(400, "all-branches must be true or false"));
        if (all && branch is not null) return (null, PipelineWire.Error(400, "Use either branch or all-branches, not both"));
        if (all) return (null, null);
        return (branch ?? catalog.DefaultBranch ?? "", null);
    }

    private static JsonHttpResult<CircleError>? Window(string? window) =>
        window is null || ReportingWindow.Names.Contains(window) ? null
            : PipelineWire.Error(400, $"reporting-window must be one of: {string.Join(", ", ReportingWindow.Names)}");

    private static async Task<Results<Ok<ItemsPage<WorkflowItemDto>>, JsonHttpResult<CircleError>>> WorkflowsAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name, string? branch,
        [FromQuery(Name = "all-branches")] string? allBranches, [FromQuery(Name = "reporting-window")] string? reportingWindow,
        [FromQuery(Name = "page-token")] string? pageToken)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        if (Window(reportingWindow) is { } bad) return bad;
        if (!PipelineWire.TryReadOffset(pageToken, out var offset)) return PipelineWire.Error(400, "Invalid page-token");
        var catalog = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).GetCatalogAsync(null);
        var (scope, invalid) = Scope(branch, allBranches, catalog);
        if (invalid is not null) return invalid;
        var names = catalog.Workflows.Skip(offset).Take(PipelineWire.PageSize).ToList();
        var figures = await Task.WhenAll(names.Select(w => Workflow(grains, project.Id, w).GetSummaryAsync(scope, reportingWindow ?? ReportingWindow.Default)));
        var items = names.Zip(figures).Where(x => x.Second is { Current.TotalRuns: > 0 })
            .Select(x => new WorkflowItemDto(x.First, WorkflowMetrics(x.Second!.Current), x.Second.Current.WindowStart, x.Second.Current.WindowEnd, project.Id))
            .ToList();
        return TypedResults.Ok(new ItemsPage<WorkflowItemDto>(items, PipelineWire.NextOffset(offset, names.Count, offset + names.Count < catalog.Workflows.Length)));
    }

    private static async Task<Results<Ok<ItemsPage<RecentRunDto>>, JsonHttpResult<CircleError>>> RecentRunsAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name, string workflow, string? branch,
        [FromQuery(Name = "all-branches")] string? allBranches, [FromQuery(Name = "start-date")] string? startDate,
        [FromQuery(Name = "end-date")] string? endDate, [FromQuery(Name = "page-token")] string? pageToken)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        if (!PipelineWire.TryReadOffset(pageToken, out var offset)) return PipelineWire.Error(400, "Invalid page-token");
        if (Dates(startDate, endDate, out var start, out var end) is { } badDates) return badDates;
        var catalog = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).GetCatalogAsync(workflow);
        if (!catalog.Workflows.Contains(workflow)) return PipelineWire.NotFound("Workflow");
        var (scope, invalid) = Scope(branch, allBranches, catalog);
        if (invalid is not null) return invalid;
        var rows = await Workflow(grains, project.Id, workflow).GetRecentRunsAsync(scope, start, end, offset, PipelineWire.PageSize + 1);
        var page = rows.Take(PipelineWire.PageSize).Select(r => new RecentRunDto(r.Id, r.Branch ?? "", Seconds(r.DurationSeconds), r.CreatedAt,
            r.StoppedAt, 0, RecentStatus(r.Status), false)).ToList();
        return TypedResults.Ok(new ItemsPage<RecentRunDto>(page, PipelineWire.NextOffset(offset, page.Count, rows.Length > PipelineWire.PageSize)));
    }

    private static async Task<Results<Ok<ItemsPage<JobItemDto>>, JsonHttpResult<CircleError>>> JobsAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name, string workflow, string? branch,
        [FromQuery(Name = "all-branches")] string? allBranches, [FromQuery(Name = "reporting-window")] string? reportingWindow,
        [FromQuery(Name = "page-token")] string? pageToken)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        if (Window(reportingWindow) is { } bad) return bad;
        if (!PipelineWire.TryReadOffset(pageToken, out var offset)) return PipelineWire.Error(400, "Invalid page-token");
        var catalog = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).GetCatalogAsync(workflow);
        if (!catalog.Workflows.Contains(workflow)) return PipelineWire.NotFound("Workflow");
        var (scope, invalid) = Scope(branch, allBranches, catalog);
        if (invalid is not null) return invalid;
        var jobs = await Workflow(grains, project.Id, workflow).GetJobsAsync(scope, reportingWindow ?? ReportingWindow.Default);
        var page = jobs.Skip(offset).Take(PipelineWire.PageSize).Select(j =>
        {
            var m = j.Figures.Current;
            return new JobItemDto(j.Name, new JobMetricsDto(m.TotalRuns, m.FailedRuns, m.SuccessfulRuns, Durations(m), m.SuccessRate, 0, m.Throughput),
                m.WindowStart, m.WindowEnd);
        }).ToList();
        return TypedResults.Ok(new ItemsPage<JobItemDto>(page, PipelineWire.NextOffset(offset, page.Count, offset + page.Count < jobs.Length)));
    }

    private static async Task<Results<Ok<WorkflowSummaryDto>, JsonHttpResult<CircleError>>> SummaryAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name, string workflow, string? branch,
        [FromQuery(Name = "all-branches")] string? allBranches, [FromQuery(Name = "reporting-window")] string? reportingWindow)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        if (Window(reportingWindow) is { } bad) return bad;
        var catalog = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).GetCatalogAsync(workflow);
        if (!catalog.Workflows.Contains(workflow)) return PipelineWire.NotFound("Workflow");
        var (scope, invalid) = Scope(branch, allBranches, catalog);
        if (invalid is not null) return invalid;
        var f = (await Workflow(grains, project.Id, workflow).GetSummaryAsync(scope, reportingWindow ?? ReportingWindow.Default))!;
        var (c, p) = (f.Current, f.Previous);
        var metrics = new SummaryMetricsDto(c.TotalRuns, c.SuccessfulRuns, c.Mttr, 0, c.FailedRuns, c.SuccessRate, c.WindowStart, Durations(c),
            c.WindowEnd, c.Throughput, c.CompletedRuns);
        var trends = new SummaryTrendsDto(Trend(c.TotalRuns, p.TotalRuns), Trend(c.FailedRuns, p.FailedRuns), Trend(c.SuccessRate, p.SuccessRate),
            Trend(c.Durations.P95, p.Durations.P95), Trend(c.Durations.Median, p.Durations.Median), 0, Trend(c.Mttr, p.Mttr), Trend(c.Throughput, p.Throughput));
        return TypedResults.Ok(new WorkflowSummaryDto(metrics, trends, catalog.Workflows));
    }

    private static async Task<Results<Ok<BranchesDto>, JsonHttpResult<CircleError>>> BranchesAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name, [FromQuery(Name = "workflow-name")] string? workflowName)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        var catalog = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).GetCatalogAsync(workflowName);
        return TypedResults.Ok(new BranchesDto(project.AccountId, project.Id, catalog.Branches.Take(5000).ToList()));
    }

    private static async Task<Results<Ok<ItemsPage<SeriesItemDto>>, JsonHttpResult<CircleError>>> TimeSeriesAsync(
        HttpContext http, IGrainFactory grains, TimeProvider clock, string vcs, string org, string name, string workflow, string? branch,
        string? granularity, [FromQuery(Name = "start-date")] string? startDate, [FromQuery(Name = "end-date")] string? endDate)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        if (granularity is not (null or "daily" or "hourly")) return PipelineWire.Error(400, "granularity must be daily or hourly");
        if (Dates(startDate, endDate, out var start, out var end) is { } badDates) return badDates;
        var catalog = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).GetCatalogAsync(workflow);
        if (!catalog.Workflows.Contains(workflow)) return PipelineWire.NotFound("Workflow");
        var hourly = granularity == "hourly";
        var now = clock.GetUtcNow();
        var points = await Workflow(grains, project.Id, workflow).GetJobSeriesAsync(branch ?? catalog.DefaultBranch ?? "", hourly,
            start ?? (hourly ? now.AddHours(-48) : now.AddDays(-90)), end ?? DateTimeOffset.MaxValue);
        var items = points.Select(p => new SeriesItemDto(p.Name, p.MinStartedAt, p.MaxEndedAt, p.Timestamp, new SeriesMetricsDto(p.Metrics.TotalRuns,
            p.Metrics.FailedRuns, p.Metrics.SuccessfulRuns, p.Metrics.Throughput, 0, 0, new SeriesDurationDto(p.Metrics.Durations.Min,
                p.Metrics.Durations.Median, p.Metrics.Durations.Max, p.Metrics.Durations.P95, p.Metrics.Durations.Total)))).ToList();
        return TypedResults.Ok(new ItemsPage<SeriesItemDto>(items, null));
    }

    private static JsonHttpResult<CircleError>? Dates(string? startDate, string? endDate, out DateTimeOffset? start, out DateTimeOffset? end)
    {
        start = end = null;
        if (endDate is not null && startDate is null) return PipelineWire.Error(400, "start-date must be given with end-date");
        if (startDate is not null)
        {
            if (!DateTimeOffset.TryParse(startDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s)) return PipelineWire.Error(400, "start-date must be an ISO 8601 date-time");
            start = s;
        }
        if (endDate is not null)
        {
            if (!DateTimeOffset.TryParse(endDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e)) return PipelineWire.Error(400, "end-date must be an ISO 8601 date-time");
            if (e < start || e - start > TimeSpan.FromDays(90)) return PipelineWire.Error(400, "end-date must be after start-date and at most 90 days after it");
            end = e;
        }
        return null;
    }

    internal static WorkflowMetricsDto WorkflowMetrics(MetricFigures m) =>
        new(m.TotalRuns, m.SuccessfulRuns, m.Mttr, 0, m.FailedRuns, m.SuccessRate, Durations(m), m.TotalRecoveries, m.Throughput);

    internal static DurationMetricsDto Durations(MetricFigures m) =>
        new(m.Durations.Min, m.Durations.Mean, m.Durations.Median, m.Durations.P95, m.Durations.Max, m.Durations.StandardDeviation);

    internal static double Trend(double? current, double? previous) => InsightsFigures.Trend(current ?? 0, previous ?? 0);

    private static long? Seconds(double? s) => s is { } v ? (long)Math.Round(v) : null;

    /// <summary>Recent runs list CircleCI's finished statuses; a run still going has none yet.</summary>
    private static string? RecentStatus(string status) => PipelineNames.WorkflowStatus(status) switch
    {
        "success" => "success", "failed" => "failed", "canceled" => "canceled", _ => null,
    };
}
