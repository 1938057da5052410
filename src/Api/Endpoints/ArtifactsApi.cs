using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Identity;
using Seismo.Domain.Reporting;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Artifacts (screenshots, videos, traces, reports): <c>POST /api/upload</c> streams the file to disk, checks its
/// format by content and its size by type, and answers with a link signed for <see cref="ArtifactStorage.UrlLifetime"/>.
/// The link needs no key: the signature is the permission. It serves ranges; once expired or altered it is a 403.
/// </summary>
public static class ArtifactsApi
{
    private const long MultipartOverhead = 1 << 20;
    private const int MaxFieldChars = 1024;

    public static IEndpointRouteBuilder MapArtifactsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/upload", UploadAsync).WithTags("Artifacts").RequireAuthorization(Policies.Upload).DisableAntiforgery()
            .WithMetadata(new UploadSizeLimit(ArtifactFormats.LargestCap + MultipartOverhead))
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.Uploads))
            .WithSummary("Upload an artifact: multipart file, type (screenshot, video, trace, report), runId, testId?, projectId");
        app.MapGet("/api/artifacts/{project}/{run}/{file}", Serve).WithTags("Artifacts").AllowAnonymous()
            .WithSummary("An artifact through its signed link (expires, token); range requests supported");
        return app;
    }

    private sealed record Received(Dictionary<string, string> Fields, string? FileName, string? TempPath, long Size, byte[] Head);

    private static async Task<IResult> UploadAsync(HttpContext http, IGrainFactory grains, ArtifactStorage storage, TimeProvider clock)
    {
        var caller = SeismoCaller.From(http.User);
        var (received, problem) = await ReceiveAsync(http.Request, storage, http.RequestAborted);
        if (problem is not null) return problem;
        try
        {
            var f = received!.Fields;
            if (received.TempPath is null) return ApiError.Validation("file", "required", "Field 'file' is required");
            foreach (var name in new[] { "type", "runId", "projectId" })
            {
                if (!f.ContainsKey(name) && !(name == "projectId" && caller.ProjectId is not null))
                    return ApiError.Validation(name, "required", $"Field '{name}' is required");
            }
            if (!ArtifactFormats.Types.TryGetValue(f["type"], out var type))
                return ApiError.Validation("type", "invalid_value", "Field 'type' must be one of: screenshot, video, trace, report");
            if (received.Size > type.MaxBytes)
                return ApiError.Of(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", $"A {type.Name} is at most {type.MaxBytes / ArtifactFormats.MiB} MB",
                    new Dictionary<string, object?> { ["field"] = "file", ["reason"] = "too_large", ["maxBytes"] = type.MaxBytes });
            var fileName = SafeName(received.FileName);
            var sniffed = ArtifactFormats.Sniff(received.Head);
            if (ArtifactFormats.Refusal(type, fileName, sniffed) is { } refusal) return ApiError.Validation("file", "invalid_format", refusal);

            Guid projectId = caller.ProjectId ?? Guid.Empty;
            if (f.TryGetValue("projectId", out var projectText) && !Guid.TryParse(projectText, out projectId))
                return ApiError.Validation("projectId", "invalid_format", "Field 'projectId' must be a UUID");
            var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, projectId, Permission.Upload);
            if (denied is not null) return denied;
            if (!PublicIds.TryParseRunId(f["runId"], out var runGuid) || await grains.GetGrain<IRunGrain>(runGuid).GetAsync() is not { } run
                || run.Metadata.ProjectId != projectId)
                return ApiError.NotFound("Run", f["runId"]);
            if (f.TryGetValue("testId", out var testId) && !BelongsTo(testId, projectId, runGuid))
                return ApiError.Validation("testId", "invalid_value", $"Field 'testId' is not a test or result of run '{f["runId"]}'");

            var artifactId = "artifact_" + PublicIds.Base64Url(RandomNumberGenerator.GetBytes(12));
            var stored = artifactId + sniffed!.Extension;
            var dir = Directory.CreateDirectory(storage.RunDirectory(projectId, runGuid)).FullName;
            File.Move(received.TempPath, Path.Combine(dir, stored));
            var now = clock.GetUtcNow();
            var expires = now + storage.UrlLifetime;
            var path = $"/api/artifacts/{projectId:N}/{runGuid:N}/{stored}";
            var url = $"{http.Request.Scheme}://{http.Request.Host}{storage.Signer.SignedPath(path, expires)}";
            return TypedResults.Created(url, new ArtifactDto(artifactId, type.Name, fileName, received.Size, sniffed.MimeType, url, expires, now));
        }
        finally
        {
            if (received?.TempPath is { } temp && File.Exists(temp)) File.Delete(temp);
        }
    }

    private static bool BelongsTo(string testId, Guid projectId, Guid runGuid) =>
        (PublicIds.TryParseResultId(testId, out var run, out _) && run == runGuid)
        || (PublicIds.TryParseTestId(testId, out var project, out _) && project == projectId);

    private static IResult Serve(HttpContext http, ArtifactStorage storage, TimeProvider clock, string project, string run, string file,
        string? expires, string? token)
    {
        var path = $"/api/artifacts/{project}/{run}/{file}";
        switch (storage.Signer.Verify(path, expires, token, clock.GetUtcNow()))
        {
            case ArtifactUrlSigner.Verdict.Expired: return ApiError.Forbidden("This artifact link has expired; upload responses carry a fresh one");
            case ArtifactUrlSigner.Verdict.Invalid: return ApiError.Forbidden("This artifact link is not valid");
        }
        if (!Guid.TryParseExact(project, "N", out var projectId) || !Guid.TryParseExact(run, "N", out var runGuid) || file != Path.GetFileName(file))
            return ApiError.NotFound("Artifact", file);
        var full = Path.Combine(storage.RunDirectory(projectId, runGuid), file);
        var format = ArtifactFormats.All.FirstOrDefault(f => f.Extension == Path.GetExtension(file));
        if (format is null || !File.Exists(full)) return ApiError.NotFound("Artifact", file);
        return TypedResults.PhysicalFile(full, format.MimeType, enableRangeProcessing: true);
    }

    /// <summary>Reads the form fields and streams the file to a temporary file, bounded by the largest type's cap.</summary>
    private static async Task<(Received?, IResult?)> ReceiveAsync(HttpRequest request, ArtifactStorage storage, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media) || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return (null, ApiError.Validation("file", "required", "Send multipart/form-data with fields file, type, runId and projectId"));
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) return (null, ApiError.Validation("file", "required", "The multipart body has no boundary"));

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? fileName = null, temp = null;
        long size = 0;
        var head = Array.Empty<byte>();
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (name == "file" && temp is null)
                {
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    // The type's own cap applies when the type came first; otherwise the largest, and the type's after.
                    var cap = fields.TryGetValue("type", out var t) && ArtifactFormats.Types.TryGetValue(t, out var known) ? known.MaxBytes : ArtifactFormats.LargestCap;
                    temp = storage.TempPath();
                    (size, head) = await CopyAsync(section.Body, temp, cap, ct);
                    if (size > cap)
                    {
                        Delete(temp);
                        return (null, ApiError.Of(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", $"The file is over {cap / ArtifactFormats.MiB} MB",
                            new Dictionary<string, object?> { ["field"] = "file", ["reason"] = "too_large", ["maxBytes"] = cap }));
                    }
                }
                else if (name is "type" or "runId" or "testId" or "projectId")
                {
                    using var text = new StreamReader(section.Body);
                    var buffer = new char[MaxFieldChars + 1];
                    var read = await text.ReadBlockAsync(buffer, ct);
                    if (read > MaxFieldChars) return (null, ApiError.Validation(name, "too_long", $"Field '{name}' is at most {MaxFieldChars} characters"));
                    var value = new string(buffer, 0, read).Trim();
                    if (value.Length > 0) fields[name] = value;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            Delete(temp);
            return (null, ApiError.Of(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", "The request body is too large"));
        }
        catch (Exception e) when (e is IOException and not FileNotFoundException or InvalidDataException)
        {
            Delete(temp);
            return (null, ApiError.Validation("file", "invalid_multipart", "The multipart body is malformed: " + e.Message));
        }
        return (new Received(fields, fileName, temp, size, head), null);
    }

    private static void Delete(string? path)
    {
        if (path is not null && File.Exists(path)) File.Delete(path);
    }

    /// <summary>Copies at most cap + 1 bytes (enough to know it is over) and keeps the first bytes for format sniffing.</summary>
    private static async Task<(long Size, byte[] Head)> CopyAsync(Stream source, string path, long cap, CancellationToken ct)
    {
        var head = new byte[ArtifactFormats.HeaderLength];
        var headLength = 0;
        long total = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                if (headLength < head.Length)
                {
                    var take = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                    headLength += take;
                }
                total += read;
                if (total > cap) return (total, head[..headLength]);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
            await target.FlushAsync(ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (total, head[..headLength]);
    }

    /// <summary>The uploaded name without directories or control characters, for the answer only (the stored name is ours).</summary>
    private static string SafeName(string? name)
    {
        var bare = Path.GetFileName((name ?? "").Replace('\\', '/'));
        var clean = new string(bare.Where(c => !char.IsControl(c)).ToArray());
        return clean.Length == 0 ? "artifact" : clean.Length > 255 ? clean[..255] : clean;
    }

    private sealed class UploadSizeLimit(long limit) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => limit;
    }
}
