using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Domain.Pipelines;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// CircleCI API v2's project, pipeline and job reads, over what RunWatch and /collect brought in. A project slug is
/// {vcs}/{org}/{repo} (gh, gl, bb, circleci, other). Permission view; another tenant's data is 404.
/// </summary>
public static class CircleCiApi
{
    private const string Slug = "{vcs}/{org}/{name}";

    public static IEndpointRouteBuilder MapCircleCiApi(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/api/v2").WithTags("CircleCI v2").RequireAuthorization(Policies.View);
        v2.MapGet($"/project/{Slug}", ProjectAsync).WithSummary("A project by slug");
        v2.MapGet("/pipeline", OrgPipelinesAsync).WithSummary("Pipelines of an org's projects, newest first (org-slug)");
        v2.MapGet($"/project/{Slug}/pipeline", ProjectPipelinesAsync).WithSummary("Pipelines of a project, newest first (branch)");
        v2.MapGet($"/project/{Slug}/pipeline/{{number}}", PipelineByNumberAsync).WithSummary("A pipeline by number");
        v2.MapGet("/pipeline/{id}", PipelineByIdAsync).WithSummary("A pipeline by id");
        v2.MapGet("/pipeline/{id}/workflow", WorkflowsAsync).WithSummary("The workflows of a pipeline (one per attempt)");
        v2.MapGet($"/project/{Slug}/job/{{number}}", JobAsync).WithSummary("Job details");
        v2.MapGet($"/project/{Slug}/{{number}}/tests", TestsAsync).WithSummary("Test results of a job (from /collect runs that joined it)");
        v2.MapGet($"/project/{Slug}/{{number}}/artifacts", ArtifactsAsync).WithSummary("Artifacts of a job");
        return app;
    }

    private static async Task<Results<Ok<ProjectV2Dto>, JsonHttpResult<CircleError>>> ProjectAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name)
    {
        var (project, slug, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        var catalog = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).GetCatalogAsync(null);
        return TypedResults.Ok(ProjectDto(project, catalog, slug));
    }

    internal static ProjectV2Dto ProjectDto(ProjectInfo project, PipelineCatalog catalog, string slug)
    {
        var parts = slug.Split('/');
        var provider = catalog.Provider ?? PipelineNames.ProviderOfVcs(parts[0]) ?? "other";
        var repository = catalog.Repository ?? $"{parts[1]}/{parts[2]}";
        var shown = catalog.ProjectSlug ?? slug;
        var shownParts = shown.Split('/');
        return new ProjectV2Dto(shown, shownParts[2], project.Id, shownParts[1], $"{shownParts[0]}/{shownParts[1]}", project.AccountId,
            new VcsInfoDto(PipelineWire.RepositoryUrl(provider, repository), provider switch
            {
                "github" => "GitHub", "gitlab" => "GitLab", "bitbucket" => "Bitbucket", "circleci" => "CircleCI", _ => "Other",
            }, catalog.DefaultBranch));
    }

    private static async Task<Results<Ok<ItemsPage<PipelineV2Dto>>, JsonHttpResult<CircleError>>> OrgPipelinesAsync(
        HttpContext http, IGrainFactory grains, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "org-slug")] string? orgSlug,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page-token")] string? pageToken, string? mine)
    {
        var caller = SeismoCaller.From(http.User);
        var onlyMine = false;
        if (mine is not null && !bool.TryParse(mine, out onlyMine)) return PipelineWire.Error(400, "mine must be true or false");
        if (onlyMine) return PipelineWire.Error(400, "mine=true is not supported: Seismo has no users");
        var before = DateTimeOffset.MaxValue;
        var beforeId = Guid.Empty;
        if (!PipelineWire.TryReadToken(pageToken, "t", out var parts) || (parts.Length > 0 && (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || !Guid.TryParse(parts[1], out beforeId)
            || (before = new DateTimeOffset(ticks, TimeSpan.Zero)) == default)))
            return PipelineWire.Error(400, "Invalid page-token");
        if (parts.Length == 0) beforeId = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff");

        string? org = null;
        if (orgSlug is not null)
        {
            var o = orgSlug.Split('/');
            if (o.Length != 2 || PipelineNames.NormaliseSlug(o[0], o[1], "x") is not { } normalised) return PipelineWire.Error(400, "Invalid org-slug");
            org = normalised[..^2].ToLowerInvariant();
        }
        var projects = await grains.GetGrain<IRepositoryDirectoryGrain>(caller.AccountId).ListAsync(org);
        var reachable = projects.Values.Distinct().Where(p => caller.ProjectId is null || caller.ProjectId == p).ToList();
        var pages = await Task.WhenAll(reachable.Select(p => grains.GetGrain<IProjectPipelinesGrain>(p).ListBeforeAsync(before, beforeId, PipelineWire.PageSize + 1)));
        var merged = pages.SelectMany(x => x).OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(PipelineWire.PageSize + 1).ToList();
        var page = merged.Take(PipelineWire.PageSize).ToList();
        var views = await Task.WhenAll(page.Select(r => grains.GetGrain<IPipelineGrain>(r.Id).GetAsync()));
        var next = merged.Count > PipelineWire.PageSize ? PipelineWire.Token($"t:{page[^1].CreatedAt.UtcTicks}:{page[^1].Id}") : null;
        return TypedResults.Ok(new ItemsPage<PipelineV2Dto>(views.OfType<PipelineView>().Select(PipelineDto).ToList(), next));
    }

    private static async Task<Results<Ok<ItemsPage<PipelineV2Dto>>, JsonHttpResult<CircleError>>> ProjectPipelinesAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name, string? branch,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page-token")] string? pageToken)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        long before = 0;
        if (!PipelineWire.TryReadToken(pageToken, "n", out var parts)
            || (parts.Length > 0 && !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out before)))
            return PipelineWire.Error(400, "Invalid page-token");
        var refs = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).ListAsync(branch, before, PipelineWire.PageSize + 1);
        var page = refs.Take(PipelineWire.PageSize).ToList();
        var views = await Task.WhenAll(page.Select(r => grains.GetGrain<IPipelineGrain>(r.Id).GetAsync()));
        var next = refs.Length > PipelineWire.PageSize ? PipelineWire.Token($"n:{page[^1].Number}") : null;
        return TypedResults.Ok(new ItemsPage<PipelineV2Dto>(views.OfType<PipelineView>().Select(PipelineDto).ToList(), next));
    }

    private static async Task<Results<Ok<PipelineV2Dto>, JsonHttpResult<CircleError>>> PipelineByNumberAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name, string number)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return error;
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return PipelineWire.Error(400, "pipeline-number must be a positive integer");
        var id = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).PipelineByNumberAsync(n);
        var view = id is { } found ? await grains.GetGrain<IPipelineGrain>(found).GetAsync() : null;
        return view is null ? PipelineWire.NotFound("Pipeline") : TypedResults.Ok(PipelineDto(view));
    }

    private static async Task<Results<Ok<PipelineV2Dto>, JsonHttpResult<CircleError>>> PipelineByIdAsync(HttpContext http, IGrainFactory grains, string id)
    {
        if (!Guid.TryParse(id, out var guid)) return PipelineWire.NotFound("Pipeline");
        var view = await PipelineWire.PipelineAsync(http, grains, guid);
        return view is null ? PipelineWire.NotFound("Pipeline") : TypedResults.Ok(PipelineDto(view));
    }

    private static async Task<Results<Ok<ItemsPage<WorkflowV2Dto>>, JsonHttpResult<CircleError>>> WorkflowsAsync(
        HttpContext http, IGrainFactory grains, string id, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page-token")] string? pageToken)
    {
        if (!Guid.TryParse(id, out var guid)) return PipelineWire.NotFound("Pipeline");
        var view = await PipelineWire.PipelineAsync(http, grains, guid);
        if (view is null) return PipelineWire.NotFound("Pipeline");
        if (!PipelineWire.TryReadOffset(pageToken, out var offset)) return PipelineWire.Error(400, "Invalid page-token");
        // Newest attempt first, as CircleCI lists a pipeline's workflows.
        var all = view.Workflows.Reverse().ToList();
        var page = all.Skip(offset).Take(PipelineWire.PageSize).Select(w => WorkflowDto(view, w)).ToList();
        return TypedResults.Ok(new ItemsPage<WorkflowV2Dto>(page, PipelineWire.NextOffset(offset, page.Count, offset + page.Count < all.Count)));
    }

    private static async Task<Results<Ok<JobDetailDto>, JsonHttpResult<CircleError>>> JobAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name, string number)
    {
        var (found, error) = await FindJobAsync(http, grains, vcs, org, name, number);
        if (error is not null) return error;
        var (project, pipeline, workflow, job) = found!.Value;
        var stopped = IsStopped(job.Status) ? job.CompletedAt : null;
        return TypedResults.Ok(new JobDetailDto(job.JobUrl ?? workflow.RunUrl, new JobProjectDto(project.Id, pipeline.ProjectSlug, project.Name,
                PipelineWire.RepositoryUrl(pipeline.Provider, pipeline.Repository)),
            [new ParallelRunDto(0, PipelineNames.JobStatus(job.Status))], job.StartedAt, new LatestWorkflowDto(workflow.Id, workflow.Name), job.Name,
            new ExecutorDto("unknown", null), 1, PipelineNames.JobStatus(job.Status), job.Number, new JobPipelineDto(pipeline.Id),
            job.DurationSeconds is { } d ? (long)Math.Round(d * 1000) : null, job.StartedAt ?? workflow.StartedAt, [], [],
            new OrganizationDto(pipeline.ProjectSlug.Split('/')[1]), job.StartedAt, stopped));
    }

    private static async Task<Results<Ok<ItemsPage<TestItemDto>>, JsonHttpResult<CircleError>>> TestsAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name, string number,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "page-token")] string? pageToken)
    {
        var (found, error) = await FindJobAsync(http, grains, vcs, org, name, number);
        if (error is not null) return error;
        if (!PipelineWire.TryReadOffset(pageToken, out var offset)) return PipelineWire.Error(400, "Invalid page-token");
        const int pageSize = 250;
        var items = new List<TestItemDto>();
        var seen = 0;
        var more = false;
        // Reads only the runs that joined this job, in order, until the page is full.
        foreach (var link in found!.Value.Job.Observations)
        {
            if (seen + link.Counts.Total <= offset) { seen += link.Counts.Total; continue; }
            var results = await grains.GetGrain<IRunGrain>(link.RunGuid).GetResultsAsync();
            foreach (var r in results)
            {
                if (seen++ < offset) continue;
                if (items.Count == pageSize) { more = true; break; }
                items.Add(new TestItemDto(r.Message ?? "", "collect", Math.Round(r.DurationMs / 1000.0, 3), r.FilePath ?? "", TestResultOf(r.Status),
                    r.Title, r.ClassName ?? ""));
            }
            if (more) break;
        }
        return TypedResults.Ok(new ItemsPage<TestItemDto>(items, more ? PipelineWire.Token($"o:{offset + items.Count}") : null));
    }

    private static async Task<Results<Ok<ItemsPage<JobArtifactDto>>, JsonHttpResult<CircleError>>> ArtifactsAsync(
        HttpContext http, IGrainFactory grains, string vcs, string org, string name, string number)
    {
        var (found, error) = await FindJobAsync(http, grains, vcs, org, name, number);
        if (error is not null) return error;
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        var items = found!.Value.Job.Observations.Where(o => o.HasArchive)
            .Select((o, i) => new JobArtifactDto($"{o.RunId}/output.txt", i, $"{baseUrl}/api/runs/{o.RunId}/output")).ToList();
        return TypedResults.Ok(new ItemsPage<JobArtifactDto>(items, null));
    }

    private static async Task<((ProjectInfo Project, PipelineView Pipeline, WorkflowView Workflow, JobView Job)? Found, JsonHttpResult<CircleError>? Error)>
        FindJobAsync(HttpContext http, IGrainFactory grains, string vcs, string org, string name, string number)
    {
        var (project, _, error) = await PipelineWire.ProjectAsync(http, grains, vcs, org, name);
        if (error is not null) return (null, error);
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return (null, PipelineWire.Error(400, "job-number must be a positive integer"));
        var pipelineId = await grains.GetGrain<IProjectPipelinesGrain>(project!.Id).PipelineOfJobAsync(n);
        var view = pipelineId is { } id ? await grains.GetGrain<IPipelineGrain>(id).GetAsync() : null;
        foreach (var w in view?.Workflows ?? [])
        {
            if (w.Jobs.FirstOrDefault(j => j.Number == n) is { } job) return ((project, view!, w, job), null);
        }
        return (null, PipelineWire.NotFound("Job"));
    }

    internal static PipelineV2Dto PipelineDto(PipelineView p)
    {
        var url = PipelineWire.RepositoryUrl(p.Provider, p.Repository);
        var first = p.Workflows.FirstOrDefault();
        return new PipelineV2Dto(p.Id, [], p.ProjectSlug, p.UpdatedAt, p.Number,
            new Dictionary<string, string> { ["pipeline_name"] = p.PipelineName, ["run_id"] = p.RunId.ToString(CultureInfo.InvariantCulture) },
            "created", p.CreatedAt, new TriggerDto(p.TriggeredBy, first?.StartedAt ?? p.CreatedAt, new ActorDto(p.Actor, null)),
            new PipelineVcsDto(p.Provider switch { "github" => "GitHub", "gitlab" => "GitLab", "bitbucket" => "Bitbucket", _ => p.Provider },
                url, url, p.Branch, null, null, null, null));
    }

    internal static WorkflowV2Dto WorkflowDto(PipelineView p, WorkflowView w) => new(
        p.Id, null, w.Id, w.Name, p.ProjectSlug, null, null, PipelineNames.WorkflowStatus(w.Status), p.Actor, p.Number, w.StartedAt,
        IsStopped(w.Status) ? w.CompletedAt ?? w.UpdatedAt : null);

    private static bool IsStopped(string status) => PipelineNames.Outcome(status) is not RunOutcome.InProgress;

    private static string TestResultOf(TestStatus status) => status switch
    {
        TestStatus.Passed or TestStatus.Flaky => "success",
        TestStatus.Skipped => "skipped",
        TestStatus.Error => "error",
        _ => "failure",
    };
}
