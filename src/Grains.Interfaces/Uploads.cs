using System.Text.Json.Serialization;
using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>Upload phases and strategies as they appear on the wire.</summary>
public static class UploadPhases
{
    public const string Uploading = "uploading";
    public const string Assembling = "assembling";
    public const string Generating = "generating";
    public const string Done = "done";
    public const string Failed = "failed";

    public const string Streaming = "streaming";
    public const string Chunked = "chunked";

    public static bool IsFinal(string phase) => phase is Done or Failed;
}

/// <summary>Where a build's report stands: <c>pending|generating|ready|failed</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record UploadReport(
    [property: Id(0), JsonPropertyName("status")] string Status,
    [property: Id(1), JsonPropertyName("url")] string? Url,
    [property: Id(2), JsonPropertyName("error")] string? Error);

/// <summary>
/// An upload session exactly as the API returns it and <c>upload.progress</c> carries it (camelCase). The id is a
/// GUID without dashes; <c>projectId</c> the project's id.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UploadSession(
    [property: Id(0), JsonPropertyName("id")] string Id,
    [property: Id(1), JsonPropertyName("envId")] string EnvId,
    [property: Id(2), JsonPropertyName("projectId")] string ProjectId,
    [property: Id(3), JsonPropertyName("buildId")] string BuildId,
    [property: Id(4), JsonPropertyName("fileName")] string FileName,
    [property: Id(5), JsonPropertyName("strategy")] string Strategy,
    [property: Id(6), JsonPropertyName("phase")] string Phase,
    [property: Id(7), JsonPropertyName("totalSize")] long? TotalSize,
    [property: Id(8), JsonPropertyName("bytesReceived")] long BytesReceived,
    [property: Id(9), JsonPropertyName("totalChunks")] int? TotalChunks,
    [property: Id(10), JsonPropertyName("receivedChunks")] int[] ReceivedChunks,
    [property: Id(11), JsonPropertyName("missingChunks")] int[] MissingChunks,
    [property: Id(12), JsonPropertyName("filesExtracted")] int FilesExtracted,
    [property: Id(13), JsonPropertyName("testsParsed")] int TestsParsed,
    [property: Id(14), JsonPropertyName("error")] string? Error,
    [property: Id(15), JsonPropertyName("report")] UploadReport? Report,
    [property: Id(16), JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: Id(17), JsonPropertyName("updatedAt")] DateTimeOffset UpdatedAt,
    [property: Id(18), JsonPropertyName("completedAt")] DateTimeOffset? CompletedAt,
    [property: Id(19), JsonPropertyName("expiresAt")] DateTimeOffset? ExpiresAt);

/// <summary>What starting a session needs: where it goes and, for a chunked one, what is expected.</summary>
[GenerateSerializer, Immutable]
public sealed record UploadStart(
    [property: Id(0)] Guid AccountId,
    [property: Id(1)] Guid ProjectId,
    [property: Id(2)] string EnvId,
    [property: Id(3)] string BuildId,
    [property: Id(4)] string FileName,
    [property: Id(5)] string Strategy,
    [property: Id(6)] long? TotalSize,
    [property: Id(7)] int? TotalChunks);

/// <summary>Who a session belongs to, for authorising calls on it.</summary>
[GenerateSerializer, Immutable]
public sealed record UploadOwner(
    [property: Id(0)] Guid AccountId,
    [property: Id(1)] Guid ProjectId);

/// <summary>The verdict on a chunk: Seismo.Domain's ChunkVerdict members first, in the same order, then the session's own.</summary>
public enum ChunkOutcome : byte { Accepted, Duplicate, Conflict, IndexOutOfRange, TotalMismatch, BeyondTotalSize, NotUploading, Unknown }

/// <summary>
/// The answer to completing a chunked upload: the chunk files in order, or the chunks still missing, or another
/// reason it cannot complete (wrong total size, not uploading any more).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChunkAssembly(
    [property: Id(0)] string[]? Paths,
    [property: Id(1)] int[] Missing,
    [property: Id(2)] string? Problem,
    [property: Id(3)] UploadSession? Session);

[GenerateSerializer, Immutable]
public sealed record ChunkReceipt(
    [property: Id(0)] ChunkOutcome Outcome,
    [property: Id(1)] UploadSession? Session);

/// <summary>Progress reported by the processing of an upload; null fields stay as they were.</summary>
[GenerateSerializer, Immutable]
public sealed record UploadProgress(
    [property: Id(0)] string? Phase = null,
    [property: Id(1)] long? BytesReceived = null,
    [property: Id(2)] int? FilesExtracted = null,
    [property: Id(3)] int? TestsParsed = null,
    [property: Id(4)] string? Error = null,
    [property: Id(5)] UploadReport? Report = null);

/// <summary>
/// One upload session (keyed by its id): its phase, bytes and chunks, counts, errors and timestamps, persisted.
/// Every change is published as <c>upload.progress</c> through the project's live feed. An abandoned session (still
/// uploading past <c>expiresAt</c>) fails and its files are removed.
/// </summary>
public interface IUploadSessionGrain : IGrainWithGuidKey
{
    Task<UploadSession> StartAsync(UploadStart start);

    [AlwaysInterleave]
    Task<UploadSession?> GetAsync();

    [AlwaysInterleave]
    Task<UploadOwner?> GetOwnerAsync();

    /// <summary>
    /// Judges a chunk already written to <paramref name="path"/>; an accepted chunk is kept there, any other is
    /// the caller's to delete (a duplicate's bytes are already on disk).
    /// </summary>
    Task<ChunkReceipt> AddChunkAsync(int index, int declaredTotalChunks, long size, string sha256, string path);

    /// <summary>How many more bytes a new chunk may hold; -1 when the session no longer takes chunks.</summary>
    [AlwaysInterleave]
    Task<long> ChunkRoomAsync();

    /// <summary>Moves a complete session to assembling and returns its chunk files in index order; otherwise says what is missing.</summary>
    Task<ChunkAssembly> CompleteAsync();

    Task<UploadSession?> ReportAsync(UploadProgress progress);

    /// <summary>Removes the record and the session's files; false when there was none.</summary>
    Task<bool> DeleteAsync();
}

/// <summary>The upload sessions of an account, newest last, for <c>GET /api/uploads</c>.</summary>
public interface IUploadIndexGrain : IGrainWithGuidKey
{
    Task AddAsync(Guid sessionId, Guid projectId);
    Task RemoveAsync(Guid sessionId);

    [AlwaysInterleave]
    Task<UploadIndexEntry[]> ListAsync();
}

[GenerateSerializer, Immutable]
public sealed record UploadIndexEntry(
    [property: Id(0)] Guid SessionId,
    [property: Id(1)] Guid ProjectId);
