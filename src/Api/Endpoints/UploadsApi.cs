using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Api.Uploads;
using Seismo.Grains;
using Seismo.Grains.Hosting;
using Seismo.Grains.Uploads;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Result uploads, Seismo's own routes for the report server's two strategies: one streaming request, or chunks
/// (initialise, send in any order, complete). Sessions are listed, read and deleted here; their live progress is on
/// <c>/api/uploads/stream</c>.
/// </summary>
public static partial class UploadsApi
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    public static IEndpointRouteBuilder MapUploadsApi(this IEndpointRouteBuilder app)
    {
        var project = app.MapGroup("/api/environments/{envId}/projects/{projectId}").WithTags("Uploads").RequireAuthorization(Policies.Upload);
        project.MapPost("/upload", StreamAsync)
            .WithSummary("Strategy A: upload a zip of Allure results and/or JUnit XML in one request, ?buildId= (upload)")
            .WithMetadata(new NoBodyLimit());
        project.MapPost("/uploads", StartChunkedAsync)
            .WithSummary("Strategy B: start a chunked upload {fileName, totalSize, totalChunks, buildId} (upload)");

        var uploads = app.MapGroup("/api/uploads").WithTags("Uploads").RequireAuthorization(Policies.View);
        uploads.MapGet("/", ListAsync).WithSummary("Upload sessions of every project the key reaches, newest first (view)");
        uploads.MapGet("/{id}", GetAsync).WithSummary("One upload session, with the chunks present and missing (view)");
        uploads.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a session record and its files (manage)").RequireAuthorization(Policies.Manage);
        uploads.MapPut("/{id}/chunks", PutChunkAsync).RequireAuthorization(Policies.Upload).WithMetadata(new NoBodyLimit())
            .WithSummary("Send one chunk: headers X-Chunk-Index (zero-based) and X-Total-Chunks, raw body (upload)");
        uploads.MapPost("/{id}/complete", CompleteAsync).RequireAuthorization(Policies.Upload)
            .WithSummary("Assemble the chunks, extract, ingest and generate the report in the background: 202 (upload)");
        return app;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex BuildIdPattern();

    private static async Task<Results<Created<UploadSession>, JsonHttpResult<ErrorEnvelope>>> StreamAsync(
        HttpContext http, IGrainFactory grains, UploadIngestor ingestor, IOptions<SeismoOptions> seismo, IOptions<UploadOptions> options,
        TimeProvider clock, string envId, string projectId, string? buildId, string? fileName)
    {
        var caller = SeismoCaller.From(http.User);
        var (_, project, error) = await EnvironmentAccess.ProjectAsync(grains, caller, envId, projectId, Permission.Upload);
        if (error is not null) return error;
        if (BuildIdError(buildId) is { } invalid) return invalid;
        var type = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is not (null or "" or "application/zip" or "application/octet-stream" or "application/x-zip-compressed"))
            return ApiError.Of(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "Send the zip as application/zip or application/octet-stream");
        var max = options.Value.MaxUploadBytes;
        if (http.Request.ContentLength > max) return TooLarge(max);

        var sessionId = Guid.NewGuid();
        if (!await grains.GetGrain<IBuildsGrain>(project!.Id).ReserveAsync(buildId!, sessionId)) return DuplicateBuild(buildId!);
        var session = grains.GetGrain<IUploadSessionGrain>(sessionId);
        await session.StartAsync(new UploadStart(caller.AccountId, project.Id, envId, buildId!, CleanFileName(fileName) ?? "results.zip",
            UploadPhases.Streaming, http.Request.ContentLength, null));

        var zip = Path.Combine(DataPaths.Upload(seismo.Value.DataDir, sessionId), "upload.zip");
        var lastReport = clock.GetUtcNow();
        UploadFiles.Written written;
        try
        {
            written = await UploadFiles.WriteAsync(http.Request.Body, zip, max, async bytes =>
            {
                if (clock.GetUtcNow() - lastReport < ProgressInterval) return;
                lastReport = clock.GetUtcNow();
                await session.ReportAsync(new UploadProgress(BytesReceived: bytes));
            }, http.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            await FailAsync(grains, seismo.Value, project.Id, buildId!, sessionId, "the upload was interrupted before the body was complete");
            return ApiError.Validation("body", "incomplete", "The request body ended before it was complete");
        }
        if (written.OverLimit)
        {
            await FailAsync(grains, seismo.Value, project.Id, buildId!, sessionId, $"the body is over {max} bytes");
            return TooLarge(max);
        }
        if (written.Bytes == 0)
        {
            await FailAsync(grains, seismo.Value, project.Id, buildId!, sessionId, "the body is empty");
            return ApiError.Validation("body", "required", "The body must be the zip file");
        }
        await session.ReportAsync(new UploadProgress(BytesReceived: written.Bytes));
        var target = new UploadTarget(sessionId, project, envId, buildId!, caller.KeyId);
        return await ingestor.IngestAsync(target, zip, CancellationToken.None) switch
        {
            UploadOutcome.Stored stored => TypedResults.Created($"/api/uploads/{sessionId:N}", stored.Session),
            UploadOutcome.Refused refused => ApiError.Validation("body", refused.Reason, refused.Message),
            UploadOutcome.NotAdmitted notAdmitted => UploadAdmission.Error(http, notAdmitted.Admission),
            _ => throw new InvalidOperationException("unknown outcome"),
        };
    }

    private static async Task<Results<Created<UploadSession>, JsonHttpResult<ErrorEnvelope>>> StartChunkedAsync(
        HttpContext http, IGrainFactory grains, IOptions<UploadOptions> options, string envId, string projectId)
    {
        var caller = SeismoCaller.From(http.User);
        var (_, project, error) = await EnvironmentAccess.ProjectAsync(grains, caller, envId, projectId, Permission.Upload);
        if (error is not null) return error;
        var (body, invalidJson) = await JsonFields.ReadAsync(http.Request);
        if (invalidJson is not null) return ApiError.Validation(invalidJson);
        var fileName = body!.String("fileName", required: true, maxLength: 255);
        var totalSize = body.Integer("totalSize", required: true, min: 1, max: options.Value.MaxUploadBytes);
        var totalChunks = body.Integer("totalChunks", required: true, min: 1, max: 100_000);
        var buildId = body.String("buildId", required: true, maxLength: 128);
        if ((body.Error ?? body.Unknown("fileName", "totalSize", "totalChunks", "buildId")) is { } invalid) return ApiError.Validation(invalid);
        if (BuildIdError(buildId) is { } badBuild) return badBuild;
        if (totalChunks > totalSize) return ApiError.Validation("totalChunks", "out_of_range", "Field 'totalChunks' cannot exceed 'totalSize' (every chunk holds at least one byte)");

        var sessionId = Guid.NewGuid();
        if (!await grains.GetGrain<IBuildsGrain>(project!.Id).ReserveAsync(buildId!, sessionId)) return DuplicateBuild(buildId!);
        var session = await grains.GetGrain<IUploadSessionGrain>(sessionId).StartAsync(new UploadStart(caller.AccountId, project.Id, envId,
            buildId!, CleanFileName(fileName) ?? "results.zip", UploadPhases.Chunked, totalSize, (int)totalChunks!.Value));
        return TypedResults.Created($"/api/uploads/{sessionId:N}", session);
    }

    private static async Task<Results<Ok<UploadSession>, JsonHttpResult<ErrorEnvelope>>> PutChunkAsync(
        HttpContext http, IGrainFactory grains, IOptions<SeismoOptions> seismo, string id)
    {
        var caller = SeismoCaller.From(http.User);
        var (grain, session, error) = await ResolveAsync(grains, caller, id, Permission.Upload);
        if (error is not null) return error;
        if (!int.TryParse(http.Request.Headers["X-Chunk-Index"], out var index))
            return ApiError.Validation("X-Chunk-Index", "required", "Header 'X-Chunk-Index' must be the chunk's zero-based index");
        if (!int.TryParse(http.Request.Headers["X-Total-Chunks"], out var declared))
            return ApiError.Validation("X-Total-Chunks", "required", "Header 'X-Total-Chunks' must be the number of chunks");
        if (declared != session!.TotalChunks)
            return ApiError.Validation("X-Total-Chunks", "mismatch", $"Header 'X-Total-Chunks' is {declared} but the session expects {session.TotalChunks} chunks");
        if (index < 0 || index >= session.TotalChunks)
            return ApiError.Validation("X-Chunk-Index", "out_of_range", $"Header 'X-Chunk-Index' must be from 0 to {session.TotalChunks - 1}");
        var room = await grain!.ChunkRoomAsync();
        if (room < 0) return NotUploading(session);

        var folder = DataPaths.Upload(seismo.Value.DataDir, Guid.ParseExact(session.Id, "N"));
        var temp = Path.Combine(folder, $"chunk-{index}.{Guid.NewGuid():N}.part");
        UploadFiles.Written written;
        try
        {
            // A resend of a chunk already counted may be as big as that chunk; Judge decides whether it is one.
            var limit = room + (session.ReceivedChunks.Contains(index) ? session.TotalSize ?? 0 : 0);
            written = await UploadFiles.WriteAsync(http.Request.Body, temp, limit, null, http.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            UploadFiles.TryDelete(temp);
            return ApiError.Validation("body", "incomplete", "The chunk's body ended before it was complete; send it again");
        }
        if (written.OverLimit)
        {
            UploadFiles.TryDelete(temp);
            return BeyondTotal(session);
        }
        var path = Path.Combine(folder, $"chunk-{index}.{written.Sha256[..16]}");
        File.Move(temp, path, overwrite: true);
        var receipt = await grain.AddChunkAsync(index, declared, written.Bytes, written.Sha256, path);
        if (receipt.Outcome is not (ChunkOutcome.Accepted or ChunkOutcome.Duplicate)) UploadFiles.TryDelete(path);
        return receipt.Outcome switch
        {
            ChunkOutcome.Accepted or ChunkOutcome.Duplicate => TypedResults.Ok(receipt.Session!),
            ChunkOutcome.Conflict => EnvironmentsApi.Conflict($"Chunk {index} was received already with different bytes",
                new Dictionary<string, object?> { ["field"] = "X-Chunk-Index", ["reason"] = "different_bytes" }),
            ChunkOutcome.BeyondTotalSize => BeyondTotal(session),
            ChunkOutcome.IndexOutOfRange => ApiError.Validation("X-Chunk-Index", "out_of_range", $"Header 'X-Chunk-Index' must be from 0 to {session.TotalChunks - 1}"),
            ChunkOutcome.TotalMismatch => ApiError.Validation("X-Total-Chunks", "mismatch", $"The session expects {session.TotalChunks} chunks"),
            ChunkOutcome.NotUploading => NotUploading(receipt.Session ?? session),
            _ => ApiError.NotFound("Upload", id),
        };
    }

    private static async Task<Results<Accepted<UploadSession>, JsonHttpResult<ErrorEnvelope>>> CompleteAsync(
        HttpContext http, IGrainFactory grains, UploadIngestor ingestor, UploadProcessor processor, IOptions<SeismoOptions> seismo, string id)
    {
        var caller = SeismoCaller.From(http.User);
        var (grain, session, error) = await ResolveAsync(grains, caller, id, Permission.Upload);
        if (error is not null) return error;
        if (session!.MissingChunks is { Length: > 0 } missing) return MissingChunks(missing);
        // The observation is taken before the 202 so that an account over its plan hears so now; the session and its
        // chunks stay as they are, to be completed once the plan allows. It is given back if the upload is refused.
        var account = grains.GetGrain<IAccountGrain>(caller.AccountId);
        var admission = await account.AdmitObservationAsync();
        if (admission.Status != AdmitStatus.Admitted) return UploadAdmission.Error(http, admission);
        var assembly = await grain!.CompleteAsync();
        if (assembly.Paths is null) await account.RefundObservationAsync();
        if (assembly.Missing.Length > 0) return MissingChunks(assembly.Missing);
        if (assembly.Paths is null)
        {
            if (assembly.Session is { Phase: UploadPhases.Uploading })
                return ApiError.Validation("totalSize", "size_mismatch", "The upload cannot complete: " + assembly.Problem);
            return NotUploading(assembly.Session ?? session!);
        }

        var sessionId = Guid.ParseExact(session!.Id, "N");
        var project = await grains.GetGrain<IProjectGrain>(Guid.Parse(session.ProjectId)).GetAsync();
        var target = new UploadTarget(sessionId, project!, session.EnvId, session.BuildId, caller.KeyId, Admitted: true);
        var zip = Path.Combine(DataPaths.Upload(seismo.Value.DataDir, sessionId), "upload.zip");
        var parts = assembly.Paths;
        var expected = session.TotalSize ?? 0;
        processor.Start(sessionId, async ct =>
        {
            long bytes;
            try { bytes = await UploadFiles.ConcatenateAsync(parts, zip, ct); }
            catch (IOException e)
            {
                await account.RefundObservationAsync();
                await FailAsync(grains, seismo.Value, project!.Id, session.BuildId, sessionId, "the chunks could not be assembled: " + e.Message);
                return;
            }
            foreach (var part in parts) UploadFiles.TryDelete(part);
            if (bytes != expected)
            {
                await account.RefundObservationAsync();
                await FailAsync(grains, seismo.Value, project!.Id, session.BuildId, sessionId, $"the assembled file has {bytes} bytes, totalSize is {expected}");
                return;
            }
            await ingestor.IngestAsync(target, zip, ct);
        });
        return TypedResults.Accepted($"/api/uploads/{id}", assembly.Session);
    }

    private static async Task<Ok<DataList<UploadSession>>> ListAsync(HttpContext http, IGrainFactory grains)
    {
        var caller = SeismoCaller.From(http.User);
        var entries = await grains.GetGrain<IUploadIndexGrain>(caller.AccountId).ListAsync();
        var visible = entries.Where(e => caller.ProjectId is null || caller.ProjectId == e.ProjectId).Reverse();
        var sessions = await Task.WhenAll(visible.Select(e => grains.GetGrain<IUploadSessionGrain>(e.SessionId).GetAsync()));
        return TypedResults.Ok(new DataList<UploadSession>(sessions.OfType<UploadSession>().OrderByDescending(s => s.CreatedAt).ToList()));
    }

    private static async Task<Results<Ok<UploadSession>, JsonHttpResult<ErrorEnvelope>>> GetAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var (_, session, error) = await ResolveAsync(grains, SeismoCaller.From(http.User), id, Permission.View);
        return error is not null ? error : TypedResults.Ok(session!);
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorEnvelope>>> DeleteAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var (grain, _, error) = await ResolveAsync(grains, SeismoCaller.From(http.User), id, Permission.Manage);
        if (error is not null) return error;
        return await grain!.DeleteAsync() ? TypedResults.NoContent() : ApiError.NotFound("Upload", id);
    }

    /// <summary>The session and its grain when the caller reaches its project; 404 (reads) or 403 (writes) otherwise.</summary>
    private static async Task<(IUploadSessionGrain? Grain, UploadSession? Session, JsonHttpResult<ErrorEnvelope>? Error)> ResolveAsync(
        IGrainFactory grains, SeismoCaller caller, string id, Permission permission)
    {
        if (!Guid.TryParse(id, out var sessionId)) return (null, null, ApiError.NotFound("Upload", id));
        var grain = grains.GetGrain<IUploadSessionGrain>(sessionId);
        var owner = await grain.GetOwnerAsync();
        if (owner is null || owner.AccountId != caller.AccountId || (caller.ProjectId is { } own && own != owner.ProjectId))
            return (null, null, ApiError.NotFound("Upload", id));
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, owner.ProjectId, permission);
        if (denied is not null) return (null, null, denied);
        var session = await grain.GetAsync();
        return session is null ? (null, null, ApiError.NotFound("Upload", id)) : (grain, session, null);
    }

    private static async Task FailAsync(IGrainFactory grains, SeismoOptions seismo, Guid projectId, string buildId, Guid sessionId, string reason)
    {
        DataPaths.TryDeleteDirectory(DataPaths.Upload(seismo.DataDir, sessionId));
        await grains.GetGrain<IBuildsGrain>(projectId).ReleaseAsync(buildId, sessionId);
        await grains.GetGrain<IUploadSessionGrain>(sessionId).ReportAsync(new UploadProgress(Phase: UploadPhases.Failed, Error: reason));
    }

    private static JsonHttpResult<ErrorEnvelope>? BuildIdError(string? buildId) =>
        buildId is null or "" ? ApiError.Validation("buildId", "required", "'buildId' is required")
        : !BuildIdPattern().IsMatch(buildId) || buildId.Contains("..")
            ? ApiError.Validation("buildId", "invalid_format", "'buildId' must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit")
            : null;

    private static string? CleanFileName(string? name) =>
        name is null ? null : Path.GetFileName(name.Replace('\\', '/')) is { Length: > 0 } clean ? new string(clean.Where(c => !char.IsControl(c)).Take(255).ToArray()) : null;

    private static JsonHttpResult<ErrorEnvelope> MissingChunks(IReadOnlyList<int> missing) =>
        EnvironmentsApi.Conflict($"Chunks missing: {string.Join(", ", missing.Take(100))}{(missing.Count > 100 ? ", …" : "")}",
            new Dictionary<string, object?> { ["missingChunks"] = missing });

    private static JsonHttpResult<ErrorEnvelope> DuplicateBuild(string buildId) =>
        EnvironmentsApi.Conflict($"Build '{buildId}' exists already in this project", new Dictionary<string, object?> { ["field"] = "buildId", ["reason"] = "duplicate" });

    private static JsonHttpResult<ErrorEnvelope> NotUploading(UploadSession session) =>
        EnvironmentsApi.Conflict($"Upload {session.Id} is {session.Phase} and takes no more chunks", new Dictionary<string, object?> { ["phase"] = session.Phase });

    private static JsonHttpResult<ErrorEnvelope> BeyondTotal(UploadSession session) =>
        ApiError.Validation("body", "beyond_total_size", $"The chunks would hold more than the session's totalSize of {session.TotalSize} bytes");

    private static JsonHttpResult<ErrorEnvelope> TooLarge(long max) =>
        ApiError.Of(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", $"The upload is over {max} bytes (Seismo:Uploads:MaxUploadBytes)");

    /// <summary>Uploads are streamed to disk and bounded by Seismo:Uploads:MaxUploadBytes, not the server-wide body limit.</summary>
    private sealed class NoBodyLimit : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => null;
    }
}
