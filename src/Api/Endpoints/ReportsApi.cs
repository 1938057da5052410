using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Options;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Grains;
using Seismo.Grains.Hosting;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Allure reports of a project's builds: generate (in the background, with the real Allure CLI), list, aggregate,
/// delete, and serve the static report at <c>/reports/{envId}/{projectId}/{buildId}/</c>.
/// </summary>
public static class ReportsApi
{
    public const string ReportCookie = "seismo_report_key";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/environments/{envId}/projects/{projectId}/reports").WithTags("Reports").RequireAuthorization(Policies.View);
        group.MapPost("/", GenerateAsync).RequireAuthorization(Policies.Upload)
            .WithSummary("Generate a build's report: {buildId, reportConfig?} (allurerc overrides; output and historyPath stay the server's) → 202 (upload)");
        group.MapGet("/", ListAsync).WithSummary("The project's builds and their reports: status, counts, timestamps (view)");
        group.MapGet("/stats", StatsAsync).WithSummary("Pass/fail aggregated over the project's builds, kept on write (view)");
        group.MapDelete("/{buildId}", DeleteAsync).RequireAuthorization(Policies.Manage)
            .WithSummary("Delete a build's report and its files; its run stays in the analytics (manage)");
        app.MapGet("/reports/{envId}/{projectId}/{buildId}/{**path}", ServeAsync).WithTags("Reports").RequireAuthorization(Policies.View)
            .WithSummary("The static Allure report (view; ?key= once, then a cookie scoped to the report)");
        return app;
    }

    private static async Task<Results<Accepted<ReportQueuedDto>, JsonHttpResult<ErrorEnvelope>>> GenerateAsync(
        HttpContext http, IGrainFactory grains, string envId, string projectId)
    {
        var caller = SeismoCaller.From(http.User);
        var (env, project, error) = await EnvironmentAccess.ProjectAsync(grains, caller, envId, projectId, Permission.Upload);
        if (error is not null) return error;
        JsonElement root;
        try
        {
            using var document = await JsonDocument.ParseAsync(new LimitedStream(http.Request.Body, 1 << 20), cancellationToken: http.RequestAborted);
            root = document.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return ApiError.Validation("body", "invalid_json", "The body must be a JSON object of at most 1 MB: {buildId, reportConfig?}");
        }
        if (root.ValueKind != JsonValueKind.Object) return ApiError.Validation("body", "invalid_json", "The body must be a JSON object");
        if (!root.TryGetProperty("buildId", out var build) || build.ValueKind != JsonValueKind.String || build.GetString() is not { Length: > 0 } buildId)
            return ApiError.Validation("buildId", "required");
        string? config = null;
        if (root.TryGetProperty("reportConfig", out var rc) && rc.ValueKind != JsonValueKind.Null)
        {
            if (rc.ValueKind != JsonValueKind.Object) return ApiError.Validation("reportConfig", "invalid_type", "Field 'reportConfig' must be an object (the allurerc schema)");
            config = rc.GetRawText();
        }
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not ("buildId" or "reportConfig"))
                return ApiError.Validation(property.Name, "unknown_field", $"Field '{property.Name}' is not one of: buildId, reportConfig");
        }
        var outcome = await grains.GetGrain<IBuildsGrain>(project!.Id).RequestReportAsync(buildId, env!.Id, config);
        return outcome switch
        {
            ReportRequestOutcome.Queued => TypedResults.Accepted((string?)null,
                new ReportQueuedDto(buildId, ReportStatuses.Generating, DataPaths.ReportUrl(env.Id, project.Id, buildId))),
            ReportRequestOutcome.AlreadyGenerating => EnvironmentsApi.Conflict($"The report of build '{buildId}' is being generated already"),
            _ => ApiError.NotFound("Build", buildId),
        };
    }

    private static async Task<Results<Ok<DataList<BuildReport>>, JsonHttpResult<ErrorEnvelope>>> ListAsync(
        HttpContext http, IGrainFactory grains, string envId, string projectId)
    {
        var (_, project, error) = await EnvironmentAccess.ProjectAsync(grains, SeismoCaller.From(http.User), envId, projectId, Permission.View);
        if (error is not null) return error;
        return TypedResults.Ok(new DataList<BuildReport>(await grains.GetGrain<IBuildsGrain>(project!.Id).ListAsync()));
    }

    private static async Task<Results<Ok<BuildStats>, JsonHttpResult<ErrorEnvelope>>> StatsAsync(
        HttpContext http, IGrainFactory grains, string envId, string projectId)
    {
        var (_, project, error) = await EnvironmentAccess.ProjectAsync(grains, SeismoCaller.From(http.User), envId, projectId, Permission.View);
        if (error is not null) return error;
        return TypedResults.Ok(await grains.GetGrain<IBuildsGrain>(project!.Id).StatsAsync());
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorEnvelope>>> DeleteAsync(
        HttpContext http, IGrainFactory grains, string envId, string projectId, string buildId)
    {
        var (_, project, error) = await EnvironmentAccess.ProjectAsync(grains, SeismoCaller.From(http.User), envId, projectId, Permission.Manage);
        if (error is not null) return error;
        return await grains.GetGrain<IBuildsGrain>(project!.Id).DeleteReportAsync(buildId) ? TypedResults.NoContent() : ApiError.NotFound("Build", buildId);
    }

    private static async Task<IResult> ServeAsync(HttpContext http, IGrainFactory grains, IOptions<SeismoOptions> seismo,
        string envId, string projectId, string buildId, string? path)
    {
        var caller = SeismoCaller.From(http.User);
        if (!Guid.TryParse(projectId, out var pid)) return ApiError.NotFound("Report", buildId);
        var (env, error) = await EnvironmentAccess.EnvironmentAsync(grains, caller, envId);
        if (error is not null || !env!.ProjectIds.Contains(pid)) return ApiError.NotFound("Report", buildId);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, pid, Permission.View);
        if (denied is not null) return ApiError.NotFound("Report", buildId);

        var root = Path.GetFullPath(DataPaths.Report(seismo.Value.DataDir, envId, pid, buildId)) + Path.DirectorySeparatorChar;
        var file = Path.GetFullPath(Path.Combine(root, string.IsNullOrEmpty(path) ? "index.html" : path));
        if (!file.StartsWith(root, StringComparison.Ordinal) || !File.Exists(file)) return ApiError.NotFound("Report file", path ?? "index.html");
        if (http.Request.Query.ContainsKey("key"))
        {
            // The report's own pages and scripts cannot carry the key: a cookie scoped to this report does.
            http.Response.Cookies.Append(ReportCookie, http.Request.Query["key"].ToString(), new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = $"/reports/{envId}/{projectId}/{buildId}/",
            });
        }
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.PhysicalFile(file, ContentTypes.TryGetContentType(file, out var type) ? type : "application/octet-stream", enableRangeProcessing: true);
    }

    /// <summary>Stops reading past a bound, so a JSON body cannot be of any size.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var n = await inner.ReadAsync(buffer, ct);
            _read += n;
            if (_read > limit) throw new InvalidDataException("the body is too large");
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
