using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Pipelines;
using Seismo.Grains;
using Seismo.Grains.Hosting;
using Seismo.Grains.Telemetry;

namespace Seismo.Api.Endpoints;

/// <summary>
/// RunWatch's <c>POST /functions/v1/ingest</c> (also at <c>/api/ingest</c>), so existing reporters only change the
/// host: pipeline and job metrics of one run attempt. Errors are <c>{"error": "…"}</c>; CORS for any origin.
/// </summary>
public static class RunWatchApi
{
    public const string CorsPolicy = "runwatch-any-origin";
    public const long MaxBodyBytes = 1 << 20;

    public static WebApplicationBuilder AddSeismoPipelines(this WebApplicationBuilder builder)
    {
        builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, p => p.AllowAnyOrigin().AllowAnyHeader().WithMethods("POST", "OPTIONS")));
        builder.Services.AddTransient<IStartupFilter, EscapedSlugFilter>();
        return builder;
    }

    /// <summary>
    /// CircleCI lets clients escape a project slug's slashes (gh%2Facme%2Fapp). The server keeps %2F escaped in the
    /// path, so before routing the /api/v2 paths get their slashes back.
    /// </summary>
    private sealed class EscapedSlugFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                var path = context.Request.Path.Value;
                if (path is not null && path.StartsWith("/api/v2/", StringComparison.Ordinal) && path.Contains("%2F", StringComparison.OrdinalIgnoreCase))
                    context.Request.Path = new PathString(path.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase));
                return following(context);
            });
            next(app);
        };
    }

    public static IEndpointRouteBuilder MapRunWatchApi(this IEndpointRouteBuilder app)
    {
        foreach (var path in new[] { "/api/ingest", "/functions/v1/ingest" })
        {
            app.MapPost(path, IngestAsync).WithTags("RunWatch").RequireAuthorization(Policies.Upload).RequireCors(CorsPolicy)
                .DisableAntiforgery()
                .WithSummary("RunWatch: pipeline and job metrics of one run attempt (X-API-Key, upload)")
                .Produces<RunWatchAccepted>().Produces<RunWatchError>(400).Produces<RunWatchError>(401).Produces<RunWatchError>(402);
            // Browsers ask first; the preflight carries no key.
            app.MapMethods(path, ["OPTIONS"], () => TypedResults.NoContent()).RequireCors(CorsPolicy).AllowAnonymous().ExcludeFromDescription();
        }
        return app;
    }

    private static async Task<Results<Ok<RunWatchAccepted>, JsonHttpResult<RunWatchError>>> IngestAsync(
        HttpContext http, IGrainFactory grains, IOptions<SeismoOptions> options, TimeProvider clock, SeismoMetrics metrics)
    {
        var caller = SeismoCaller.From(http.User);
        RunWatchReport report;
        try
        {
            if (http.Request.ContentLength > MaxBodyBytes) return Error(400, $"The request body is over {MaxBodyBytes} bytes");
            using var doc = await JsonDocument.ParseAsync(http.Request.Body, new JsonDocumentOptions { MaxDepth = 16 }, http.RequestAborted);
            report = RunWatchPayload.Parse(doc.RootElement);
        }
        catch (JsonException e) { return Error(400, $"The request body is not valid JSON: {e.Message}"); }
        catch (RunWatchPayloadException e) { return Error(400, e.Message); }

        var account = await grains.GetGrain<IAccountGrain>(caller.AccountId).GetAsync();
        if (account is null) return Error(401, "Invalid or missing API key");
        var slug = PipelineNames.ProjectSlug(report.Provider, report.Repository).ToLowerInvariant();
        var directory = grains.GetGrain<IRepositoryDirectoryGrain>(caller.AccountId);
        Guid? projectId = await directory.FindAsync(slug);
        if (projectId is null)
        {
            var limit = options.Value.LimitsFor(account.Tier).Repositories;
            projectId = await directory.ResolveAsync(slug, report.Repository, caller.ProjectId, limit);
            if (projectId is null) return Error(402, $"Plan limit reached: the {account.Tier.ToString().ToLowerInvariant()} plan allows {limit} repositories");
        }
        var (project, denied) = await ProjectAccess.ResolveAsync(grains, caller, projectId.Value, Permission.Upload);
        if (denied is not null) return Error(403, $"This key cannot report runs of repository '{report.Repository}'");

        var pipelineId = PipelineIds.Pipeline(project!.Id, report.Provider, report.Repository, report.PipelineName, report.RunId);
        var pipeline = grains.GetGrain<IPipelineGrain>(pipelineId);
        // Only a new run attempt counts against the plan; updates of a known one are free.
        if (!await pipeline.HasAttemptAsync(report.RunAttempt))
        {
            var admission = await grains.GetGrain<IAccountGrain>(caller.AccountId).AdmitObservationAsync();
            if (admission.Status == AdmitStatus.RateLimited)
            {
                http.Response.Headers.RetryAfter = admission.ResetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Error(429, "Rate limit exceeded for this hour");
            }
            if (admission.Status != AdmitStatus.Admitted)
                return Error(402, admission.Status == AdmitStatus.CollectionDisabled ? "Data collection is disabled for this account" : "Plan limit reached: monthly run limit");
        }
        var (_, workflowId) = await pipeline.ReportAsync(ToReport(report, project.Id, slug, clock.GetUtcNow()));
        metrics.RunAccepted("pipeline", report.Jobs.Count);
        return TypedResults.Ok(new RunWatchAccepted(true, workflowId));
    }

    private static PipelineReport ToReport(RunWatchReport r, Guid projectId, string slug, DateTimeOffset now) => new(
        projectId, slug, r.Provider, r.Repository, r.PipelineId, r.PipelineName, r.RunId, r.RunAttempt, r.RunName, r.RunUrl, r.Status, r.Mode,
        r.ComputeSeconds, r.DurationSeconds, r.StartedAt, r.CompletedAt, r.TriggeredBy, r.Actor, r.Branch,
        [.. r.Jobs.Select(j => new PipelineJobReport(j.Name, j.JobId, j.JobUrl, j.Status, j.DurationSeconds, j.StartedAt, j.CompletedAt))], now);

    internal static JsonHttpResult<RunWatchError> Error(int status, string message) =>
        TypedResults.Json(new RunWatchError(message), SeismoJson.Options, statusCode: status);
}
