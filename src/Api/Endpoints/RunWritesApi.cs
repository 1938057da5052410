using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Api.Ingest;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Runs a test reporter opens and closes (Euriqa's POST and PATCH /api/runs). The run is open (<c>running</c>) until
/// a PATCH closes it: <c>passed</c>/<c>failed</c> put it in the run log and feed the scorer, once; <c>cancelled</c>
/// keeps it out of both. Permission upload; DELETE needs manage.
/// </summary>
public static class RunWritesApi
{
    private static readonly ReportedStats NoStats = new(null, null, null, null, null);

    public static IEndpointRouteBuilder MapRunWritesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/runs").WithTags("Runs").RequireAuthorization(Policies.Upload);
        group.MapPost("/", CreateAsync).WithSummary("Open a run (status running) with its CI and reporter metadata")
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.RunsWrite));
        group.MapPatch("/{id}", UpdateAsync).WithSummary("Status and statistics; passed/failed closes the run and scores it once")
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.RunsWrite));
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a run, its results and artifacts (manage)")
            .RequireAuthorization(Policies.Manage).AddEndpointFilter(RateLimits.Filter(RateLimitGroup.RunsWrite));
        return app;
    }

    private static async Task<Results<Ok<DeletedDto>, JsonHttpResult<ErrorEnvelope>>> DeleteAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var (run, hidden) = await RunsApi.ResolveAsync(http, grains, id);
        if (hidden is not null) return hidden;
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(http.User), run!.Metadata.ProjectId, Permission.Manage);
        if (denied is not null) return denied;
        return await grains.GetGrain<IProjectGrain>(run.Metadata.ProjectId).DeleteRunAsync(run.Metadata.RunGuid)
            ? TypedResults.Ok(new DeletedDto(true, "Run deleted successfully"))
            : ApiError.NotFound("Run", id);
    }

    private static async Task<Results<Created<ReporterRunDto>, JsonHttpResult<ErrorEnvelope>>> CreateAsync(
        HttpContext http, IGrainFactory grains, RunFanOut fanOut, TimeProvider clock)
    {
        var caller = SeismoCaller.From(http.User);
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var projectId = body!.Guid("projectId", required: caller.IsAccountKey) ?? caller.ProjectId ?? Guid.Empty;
        var status = body.String("status", required: true, maxLength: 16);
        if (body.Error is null && status is not ("running" or "passed" or "failed"))
            return ApiError.Validation("status", "invalid_value", "Field 'status' must be one of: running, passed, failed");
        string? Text(string name, int max = 512) => body.String(name, maxLength: max);
        int? Count(string name) => (int?)body.Integer(name, min: 0, max: 100_000);
        var ci = new CiContext(Text("ciProvider", 64), Text("commitSha", 128), Text("branch"), Text("ciBuildId"), Text("ciBuildUrl", 2048), null, null);
        var now = clock.GetUtcNow();
        var fields = new ReporterRunFields(Text("commitMessage", 8192), Text("commitAuthor"), Text("playwrightVersion", 64), Count("workers"),
            Count("shardCurrent"), Count("shardTotal"), Text("browser", 128), Text("os", 128), Text("viewport", 64), Text("hostname"),
            Text("runTitle", 1024), body.Strings("grepPatterns") ?? [], null, null, now);
        var tags = body.Strings("tags") ?? [];
        if (body.Error is not null) return ApiError.Validation(body.Error);

        var (project, denied) = await ProjectAccess.ResolveAsync(grains, caller, projectId, Permission.Upload);
        if (denied is not null) return denied;

        // A reporter's run is one observation of the account's plan, as a /collect archive is; its tests are part of it.
        var account = grains.GetGrain<IAccountGrain>(project!.AccountId);
        var admission = await account.AdmitObservationAsync();
        if (admission.Status != AdmitStatus.Admitted) return PlanAdmission.Refusal(http, admission);

        var runGuid = Guid.NewGuid();
        var metadata = new RunMetadata(runGuid, runGuid.ToString(), project.Id, project.AccountId, caller.KeyId, "euriqa", now, now, [], null,
            null, null, tags, [], ci, null, null, fields);
        var reporter = grains.GetGrain<IReporterRunGrain>(runGuid);
        ReporterRunView view;
        try { view = await reporter.CreateAsync(metadata); }
        catch
        {
            await account.RefundObservationAsync();
            throw;
        }
        if (status != "running")
        {
            var closed = await reporter.UpdateAsync(new RunUpdate(status, NoStats, null));
            if (closed.Completed is { } accepted) _ = fanOut.Start(accepted);
            view = closed.Run!;
        }
        return TypedResults.Created($"/api/runs/{metadata.Id}", ToDto(view.Summary));
    }

    private static async Task<Results<Ok<RunPatchedDto>, JsonHttpResult<ErrorEnvelope>>> UpdateAsync(
        HttpContext http, IGrainFactory grains, RunFanOut fanOut, string id)
    {
        var caller = SeismoCaller.From(http.User);
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var status = body!.String("status", maxLength: 16);
        if (body.Error is null && status is not (null or "running" or "passed" or "failed" or "cancelled"))
            return ApiError.Validation("status", "invalid_value", "Field 'status' must be one of: running, passed, failed, cancelled");
        int? Count(string name) => (int?)body.Integer(name, min: 0, max: 10_000_000);
        var stats = new ReportedStats(Count("totalTests"), Count("passedTests"), Count("failedTests"), Count("skippedTests"), Count("flakyTests"));
        var duration = body.Number("duration", min: 0, max: 1e12);
        if (body.Error is not null) return ApiError.Validation(body.Error);

        var (run, hidden) = await RunsApi.ResolveAsync(http, grains, id);
        if (hidden is not null) return hidden;
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, run!.Metadata.ProjectId, Permission.Upload);
        if (denied is not null) return denied;

        var outcome = await grains.GetGrain<IReporterRunGrain>(run.Metadata.RunGuid).UpdateAsync(new RunUpdate(status, stats, (long?)duration));
        if (outcome.Status == RunUpdateStatus.NotFound)
            return ApiError.Of(StatusCodes.Status409Conflict, "CONFLICT", $"Run '{id}' came from /collect and cannot be updated");
        if (outcome.Completed is { } accepted) _ = fanOut.Start(accepted);
        var summary = outcome.Run!.Summary;
        var c = Mapping.CountsOf(summary);
        return TypedResults.Ok(new RunPatchedDto(summary.Metadata.Id, summary.Status, c.Total, c.Passed, c.Failed, c.Skipped, c.Flaky,
            Mapping.DurationOf(summary), summary.Metadata.Reporter?.UpdatedAt ?? summary.Metadata.CreatedAt));
    }

    internal static ReporterRunDto ToDto(RunSummary run)
    {
        var m = run.Metadata;
        var p = m.Reporter!;
        return new ReporterRunDto(m.Id, m.ProjectId, run.Status, m.Ci.Branch, m.Ci.CommitSha, p.CommitMessage, p.CommitAuthor, m.Ci.Provider,
            m.Ci.BuildId, m.Ci.BuildUrl, p.PlaywrightVersion, p.Workers, p.ShardCurrent, p.ShardTotal, p.Browser, p.Os, p.Viewport, p.Hostname,
            p.RunTitle, m.Tags, p.GrepPatterns, m.CreatedAt, p.UpdatedAt);
    }
}
