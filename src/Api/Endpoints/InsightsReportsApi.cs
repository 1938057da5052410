using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Domain.Identity;
using Seismo.Domain.Pipelines;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// The Insights reports that combine workflows, projects or tests: the project and org summaries (sums of the
/// workflows' windows), flaky tests (the scorer's FLAKY tests, with the flake tallies of the joined runs that were
/// flaky evidence) and test metrics (the workflow's 10 most recent runs, as CircleCI computes them, from each run's
/// test aggregate).
/// </summary>
internal static class InsightsReportsApi
{
    private const string Slug = "{vcs}/{org}/{name}";
    private const int TestRows = 10;

    public static void Map(RouteGroupBuilder insights)
    {
        insights.MapGet($"/pages/{Slug}/summary", ProjectSummaryAsync).WithSummary("Summary metrics and trends of a project by workflow and branch");
        insights.MapGet("/{vcs}/{org}/summary", OrgSummaryAsync).WithSummary("Summary metrics and trends of an org and its projects");
        insights.MapGet($"/{Slug}/flaky-tests", FlakyTestsAsync).WithSummary("The project's flaky tests (labelled FLAKY by the scorer)");
        insights.MapGet($"/{Slug}/workflows/{{workflow}}/test-metrics", TestMetricsAsync).WithSummary("Test metrics of a workflow's 10 most recent runs");
    }

    private static IWorkflowInsightsGrain Workflow(IGrainFactory grains, Guid project, string workflow) =>
        grains.GetGrain<IWorkflowInsightsGrain>($"{project}/{workflow}");

    private static async Task<Results<Ok<ProjectSummaryDto>, JsonHttpResult<CircleError>>> ProjectSummaryAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name,
        [FromQuery(Name = "reporting-window")] string? reportingWindow, [FromQuery(Name = "branches")] string[]? branches,
        [FromQuery(Name = "workflow-names")] string[]? workflowNames)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        if (reportingWindow is not null && !ReportingWindow.Names.Contains(reportingWindow))
            return PipelineWire.Error(400, $"reporting-window must be one of: {string.Join(", ", ReportingWindow.Names)}");
        var window = reportingWindow ?? ReportingWindow.Default;
        var catalog = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).GetCatalogAsync(null);
        var workflows = catalog.Workflows.Where(w => workflowNames is not { Length: > 0 } || workflowNames.Contains(w)).ToList();
        var perWorkflow = await Task.WhenAll(workflows.Select(w => Workflow(grains, project.Id, w).GetSummaryAsync(null, window)));
        var workflowData = workflows.Zip(perWorkflow).Select(x => new ProjectWorkflowDataDto(x.First, PageMetrics(x.Second!.Current), PageTrends(x.Second))).ToList();

        var branchData = new List<ProjectWorkflowBranchDataDto>();
        foreach (var w in workflows)
        {
            var own = (await grains.GetGrain<IProjectPipelinesGrain>(project.Id).GetCatalogAsync(w)).Branches
                .Where(b => branches is not { Length: > 0 } || branches.Contains(b)).ToList();
            var figures = await Task.WhenAll(own.Select(b => Workflow(grains, project.Id, w).GetSummaryAsync(b, window)));
            branchData.AddRange(own.Zip(figures).Select(x => new ProjectWorkflowBranchDataDto(w, x.First, PageMetrics(x.Second!.Current), PageTrends(x.Second))));
        }
        return TypedResults.Ok(new ProjectSummaryDto(project.AccountId, project.Id, catalog.Branches, Totals(perWorkflow.OfType<WindowFigures>().ToList()),
            catalog.Workflows, workflowData, branchData));
    }

    private static async Task<Results<Ok<OrgSummaryDto>, JsonHttpResult<CircleError>>> OrgSummaryAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, [FromQuery(Name = "reporting-window")] string? reportingWindow,
        [FromQuery(Name = "project-names")] string[]? projectNames)
    {
        var caller = SeismoCaller.From(http.User);
        if (reportingWindow is not null && !ReportingWindow.Names.Contains(reportingWindow))
            return PipelineWire.Error(400, $"reporting-window must be one of: {string.Join(", ", ReportingWindow.Names)}");
        if (PipelineNames.NormaliseSlug(vcs, org, "x") is not { } normalised) return PipelineWire.NotFound("Organization");
        var window = reportingWindow ?? ReportingWindow.Default;
        var repositories = await grains.GetGrain<IRepositoryDirectoryGrain>(caller.AccountId).ListAsync(normalised[..^2].ToLowerInvariant());
        var reachable = repositories.Where(r => caller.ProjectId is null || caller.ProjectId == r.Value).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        if (reachable.Count == 0) return PipelineWire.NotFound("Organization");

        var all = new List<WindowFigures>();
        var projects = new List<OrgProjectDataDto>();
        var names = new List<string>();
        foreach (var (slug, projectId) in reachable)
        {
            var projectName = slug.Split('/')[2];
            names.Add(projectName);
            if (projectNames is { Length: > 0 } && !projectNames.Contains(projectName, StringComparer.OrdinalIgnoreCase)) continue;
            var catalog = await grains.GetGrain<IProjectPipelinesGrain>(projectId).GetCatalogAsync(null);
            var figures = (await Task.WhenAll(catalog.Workflows.Select(w => Workflow(grains, projectId, w).GetSummaryAsync(null, window)))).OfType<WindowFigures>().ToList();
            all.AddRange(figures);
            var t = Totals(figures);
            projects.Add(new OrgProjectDataDto(projectName,
                new OrgProjectMetricsDto(0, t.Metrics.TotalDurationSecs, t.Metrics.TotalRuns, t.Metrics.SuccessRate),
                new OrgProjectTrendsDto(0, t.Trends.TotalDurationSecs, t.Trends.TotalRuns, t.Trends.SuccessRate)));
        }
        return TypedResults.Ok(new OrgSummaryDto(Totals(all), projects, names));
    }

    private static async Task<Results<Ok<FlakyTestsDto>, JsonHttpResult<CircleError>>> FlakyTestsAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        // The index is ordered by score: read it a page at a time until every FLAKY test it counts has been seen.
        var index = grains.GetGrain<IProjectGrain>(project!.Id);
        var flaky = new List<FlakinessRow>();
        for (var offset = 0; ; offset += 500)
        {
            var page = await index.ListFlakinessAsync(0, null, 500, offset);
            flaky.AddRange(page.Rows.Where(r => r.Label == TestLabel.Flaky));
            if (page.Rows.Length < 500 || flaky.Count >= page.Summary.FlakyTests) break;
        }
        var hashes = flaky.Select(r => PublicIds.TryParseTestId(r.TestId, out _, out var hash) ? hash : "").ToArray();
        var figures = (await grains.GetGrain<ITestFlakesGrain>(project.Id).GetAsync(hashes)).ToDictionary(f => f.KeyHash);
        var items = flaky.Select((row, i) =>
        {
            // A FLAKY test's failures and passes on retry are its flaky evidence (the scorer has ruled out regression and breakage).
            var f = figures.GetValueOrDefault(hashes[i]);
            var latest = f?.Latest;
            return new FlakyTestDto(latest?.WorkflowCreatedAt, f?.ClassName, latest?.JobNumber ?? 0, Math.Max(row.FlakyRuns, f?.TimesFlaked ?? 0), "collect",
                latest?.PipelineNumber ?? 0, row.FilePath, latest?.WorkflowName ?? "", latest?.JobName ?? "", latest?.WorkflowId, row.Title,
                (long)Math.Round(f?.TimeWastedSeconds ?? 0));
        }).ToList();
        return TypedResults.Ok(new FlakyTestsDto(items, items.Count));
    }

    private static async Task<Results<Ok<TestMetricsDto>, JsonHttpResult<CircleError>>> TestMetricsAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name, string workflow, string? branch,
        [FromQuery(Name = "all-branches")] string? allBranches)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        var catalog = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).GetCatalogAsync(workflow);
        if (!catalog.Workflows.Contains(workflow)) return PipelineWire.NotFound("Workflow");
        bool all = false;
        if (allBranches is not null && !bool.TryParse(allBranches, out all)) return PipelineWire.Error(400, "all-branches must be true or false");
        if (all && branch is not null) return PipelineWire.Error(400, "Use either branch or all-branches, not both");
        var scope = all ? null : branch ?? catalog.DefaultBranch ?? "";

        // Each workflow run's tests are an aggregate folded as its /collect runs joined: ten small reads, whatever the history.
        var recent = await Workflow(grains, project.Id, workflow).GetRecentRunsAsync(scope, DateTimeOffset.MinValue, null, 0, 10);
        var tests = await Task.WhenAll(recent.Select(r => grains.GetGrain<IWorkflowTestsGrain>(r.Id).GetAsync()));
        var runs = new List<TestRunDto>();
        var perTest = new Dictionary<(string Name, string? Class, string Job), TestAcc>();
        foreach (var (r, t) in recent.Zip(tests))
        {
            foreach (var sample in t.Tests)
            {
                var key = (sample.Name, sample.ClassName, sample.JobName);
                if (!perTest.TryGetValue(key, out var acc)) perTest[key] = acc = new TestAcc(sample.File, sample.KeyHash);
                acc.Runs++;
                if (sample.Status is TestStatus.Failed or TestStatus.Error) acc.Failed++;
                acc.Durations.Add(sample.DurationSeconds);
            }
            var ran = t.Success + t.Failure + t.Errors;
            runs.Add(new TestRunDto(r.PipelineNumber, r.Id, ran == 0 ? 0 : (double)t.Success / ran, new TestCountsDto(t.Errors, t.Failure, t.Skipped, t.Success, t.Total)));
        }
        var flags = perTest.Count == 0 ? [] : await grains.GetGrain<IProjectGrain>(project.Id).GetTestFlagsAsync([.. perTest.Values.Select(a => a.KeyHash)]);
        var rows = perTest.Select((p, i) => new TestRowDto(p.Value.Failed, p.Key.Job, P95(p.Value.Durations), p.Key.Name, p.Value.File, "collect", p.Key.Class,
            p.Value.Runs, flags[i].Label == TestLabel.Flaky)).ToList();
        var failing = rows.Where(r => r.FailedRuns > 0).OrderByDescending(r => r.FailedRuns).ThenBy(r => r.TestName, StringComparer.Ordinal).ToList();
        var slowest = rows.OrderByDescending(r => r.P95Duration ?? 0).ThenBy(r => r.TestName, StringComparer.Ordinal).ToList();
        var totalTests = runs.Sum(r => r.TestCounts.Total);
        var withTests = runs.Count(r => r.TestCounts.Total > 0);
        return TypedResults.Ok(new TestMetricsDto(withTests == 0 ? 0 : totalTests / withTests, [.. failing.Take(TestRows)], Math.Max(0, failing.Count - TestRows),
            [.. slowest.Take(TestRows)], Math.Max(0, slowest.Count - TestRows), totalTests, runs));
    }

    private sealed class TestAcc(string? file, string keyHash)
    {
        public string? File { get; } = file;
        public string KeyHash { get; } = keyHash;
        public long Runs { get; set; }
        public long Failed { get; set; }
        public List<double> Durations { get; } = [];
    }

    // At most 10 runs per test: the exact nearest-rank p95.
    private static double? P95(List<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToList();
        return Math.Round(sorted[Math.Max(0, (int)Math.Ceiling(0.95 * sorted.Count) - 1)], 3);
    }

    private static WorkflowPageMetricsDto PageMetrics(MetricFigures m) => new(0, m.P95Exact ?? 0, m.TotalRuns, m.SuccessRate);

    private static WorkflowPageTrendsDto PageTrends(WindowFigures f) => new(0, InsightsApi.Trend(f.Current.P95Exact, f.Previous.P95Exact),
        InsightsApi.Trend(f.Current.TotalRuns, f.Previous.TotalRuns), InsightsApi.Trend(f.Current.SuccessRate, f.Previous.SuccessRate));

    /// <summary>Sums workflows: runs and durations add; the success rate is over all completed runs; throughputs add.</summary>
    private static TotalsDto Totals(IReadOnlyList<WindowFigures> figures)
    {
        (long Runs, long Duration, double Rate, double Throughput) Sum(Func<WindowFigures, MetricFigures> pick)
        {
            var runs = figures.Sum(f => pick(f).TotalRuns);
            var completed = figures.Sum(f => pick(f).CompletedRuns);
            var success = figures.Sum(f => pick(f).SuccessfulRuns);
            return (runs, figures.Sum(f => pick(f).Durations.Total), completed == 0 ? 0 : (double)success / completed, figures.Sum(f => pick(f).Throughput));
        }
        var c = Sum(f => f.Current);
        var p = Sum(f => f.Previous);
        return new TotalsDto(new TotalsMetricsDto(c.Runs, c.Duration, 0, c.Rate, c.Throughput),
            new TotalsTrendsDto(InsightsApi.Trend(c.Runs, p.Runs), InsightsApi.Trend(c.Duration, p.Duration), 0, InsightsApi.Trend(c.Rate, p.Rate),
                InsightsApi.Trend(c.Throughput, p.Throughput)));
    }
}
