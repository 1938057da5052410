using System.Buffers;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Api.Ingest;
using Seismo.Domain.Collect;
using Seismo.Grains;
using Seismo.Grains.Hosting;
using Seismo.Grains.Storage;

namespace Seismo.Api.Endpoints;

/// <summary>
/// <c>POST /collect</c>, exactly as CI clients already call it: multipart field <c>archive</c> holding a zstd tar.
/// A project key (agent token) posts to its project; an account key names one with <c>?projectId=</c>.
/// </summary>
public static class CollectApi
{
    public static IEndpointRouteBuilder MapCollectApi(this IEndpointRouteBuilder app)
    {
        var maxArchive = app.ServiceProvider.GetRequiredService<IOptions<SeismoOptions>>().Value.MaxArchiveBytes;
        app.MapPost("/collect", CollectAsync).WithTags("Collect").RequireAuthorization(Policies.Upload)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitMetadata(maxArchive + MultipartOverhead))
            .WithSummary("Submit an observation: multipart 'archive' = tar.zst with command.json, output.txt, attachment/* (upload)")
            .Produces<CollectResponse>()
            .Produces<ErrorEnvelope>(400).Produces<ErrorEnvelope>(401).Produces<ErrorEnvelope>(402).Produces<ErrorEnvelope>(415)
            .Produces<ErrorEnvelope>(422).Produces<ErrorEnvelope>(429).Produces<ErrorEnvelope>(503);
        return app;
    }

    private static async Task<IResult> CollectAsync(HttpContext http, IGrainFactory grains, CollectIngestor ingestor,
        ArchiveStore archives, IOptions<SeismoOptions> options, string? projectId)
    {
        var caller = SeismoCaller.From(http.User);
        Guid project;
        if (projectId is null)
        {
            if (caller.ProjectId is not { } own) return ApiError.Validation("projectId", "required", "Query parameter 'projectId' is required for an account key");
            project = own;
        }
        else if (!Guid.TryParse(projectId, out project)) return ApiError.Validation("projectId", "invalid_format", "Query parameter 'projectId' must be a UUID");

        var (info, denied) = await ProjectAccess.ResolveAsync(grains, caller, project, Permission.Upload);
        if (denied is not null) return denied;

        using var archive = new ReceivedArchive(archives);
        var received = await ReceiveArchiveAsync(http.Request, archive, options.Value.MaxArchiveBytes, http.RequestAborted);
        if (received is not null) return received;

        var outcome = await ingestor.IngestAsync(archive, info!, caller.KeyId, http.RequestAborted);
        return outcome switch
        {
            CollectOutcome.Accepted a => WithRateHeaders(http, a.Admission, TypedResults.Ok(new CollectResponse(
                a.Run.Metadata.Id, a.Run.Metadata.AccountId, a.Run.Metadata.ProjectId, caller.KeyId, "pending"))),
            CollectOutcome.ArchiveRefused r => ArchiveError(r.Error),
            CollectOutcome.CommandRefused c => CommandError(c.Command),
            CollectOutcome.NotAdmitted n => PlanAdmission.Refusal(http, n.Admission),
            _ => throw new InvalidOperationException("unknown outcome"),
        };
    }

    /// <summary>Receives the multipart field 'archive'. Returns an error result, or null when received.</summary>
    private static async Task<IResult?> ReceiveArchiveAsync(HttpRequest request, ReceivedArchive archive, long maxBytes, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return ApiError.Validation("archive", "required", "Send multipart/form-data with a file field 'archive'");
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary)) return ApiError.Validation("archive", "required", "The multipart body has no boundary");

        var reader = new MultipartReader(boundary, request.Body);
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !string.Equals(HeaderUtilities.RemoveQuotes(disposition.Name).Value, "archive", StringComparison.Ordinal)) continue;
                var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
                try
                {
                    long total = 0;
                    int read;
                    while ((read = await section.Body.ReadAsync(buffer, ct)) > 0)
                    {
                        total += read;
                        if (total > maxBytes) return ApiError.Of(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", $"The archive is over {maxBytes} bytes");
                        await archive.WriteAsync(buffer.AsMemory(0, read), ct);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                return null;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ApiError.Of(StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", $"The request body is over {maxBytes} bytes");
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            return ApiError.Validation("archive", "invalid_multipart", "The multipart body is malformed: " + e.Message);
        }
        catch (InvalidDataException e)
        {
            return ApiError.Validation("archive", "invalid_multipart", "The multipart body is malformed: " + e.Message);
        }
        return ApiError.Validation("archive", "required", "Field 'archive' is required");
    }

    private static IResult ArchiveError(CollectArchiveException e)
    {
        var details = new Dictionary<string, object?> { ["field"] = "archive", ["reason"] = ReasonOf(e.Kind) };
        if (e.EntryName is not null) details["entry"] = e.EntryName;
        return e.Kind == CollectArchiveErrorKind.NotZstd
            ? ApiError.Of(StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", e.Message, details)
            : ApiError.Of(StatusCodes.Status400BadRequest, "VALIDATION_ERROR", e.Message, details);
    }

    private static string ReasonOf(CollectArchiveErrorKind kind) => kind switch
    {
        CollectArchiveErrorKind.NotZstd => "not_zstd",
        CollectArchiveErrorKind.TooLarge => "too_large",
        CollectArchiveErrorKind.UnsafeEntry => "unsafe_entry",
        CollectArchiveErrorKind.AttachmentRejected => "attachment_rejected",
        CollectArchiveErrorKind.MissingCommand => "missing_command_json",
        CollectArchiveErrorKind.TooManyEntries => "too_many_entries",
        _ => "invalid_archive",
    };

    private static IResult CommandError(CommandJsonResult command)
    {
        if (command.Failure == CommandJsonFailure.MissingFields)
        {
            var missing = command.MissingFields;
            return ApiError.Of(StatusCodes.Status422UnprocessableEntity, "VALIDATION_ERROR", command.Message, new Dictionary<string, object?>
            {
                ["field"] = missing[0], ["reason"] = "required", ["fields"] = missing.ToArray(), ["file"] = "command.json",
            });
        }
        var first = command.Problems.First();
        return ApiError.Of(StatusCodes.Status400BadRequest, "VALIDATION_ERROR", command.Message, new Dictionary<string, object?>
        {
            ["field"] = first.Field.Length == 0 ? "command.json" : first.Field, ["reason"] = "malformed", ["file"] = "command.json",
        });
    }

    private static IResult WithRateHeaders(HttpContext http, AdmitDecision admission, IResult result)
    {
        PlanAdmission.AddHeaders(http, admission);
        return result;
    }

    // Room for the multipart boundaries and headers around the archive.
    private const long MultipartOverhead = 64 * 1024;

    /// <summary>The body limit follows Seismo:MaxArchiveBytes rather than the server-wide default.</summary>
    private sealed class RequestSizeLimitMetadata(long limit) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => limit;
    }
}
