namespace Seismo.Domain.Uploads;

/// <summary>What happens to one chunk sent to a chunked upload.</summary>
public enum ChunkVerdict
{
    /// <summary>New: keep it.</summary>
    Accepted,
    /// <summary>The same bytes again (a retry): nothing changes.</summary>
    Duplicate,
    /// <summary>Different bytes for an index already received: 409.</summary>
    Conflict,
    /// <summary>Index outside 0..totalChunks-1: 400.</summary>
    IndexOutOfRange,
    /// <summary>X-Total-Chunks differs from the session's: 400.</summary>
    TotalMismatch,
    /// <summary>The chunks would hold more bytes than the declared totalSize: 400.</summary>
    BeyondTotalSize,
}

/// <summary>One received chunk: its size and SHA-256 (hex), so a resend can be told from a different chunk.</summary>
public readonly record struct ChunkMark(long Size, string Sha256);

/// <summary>
/// The bookkeeping of a chunked upload. Chunks may come in any order and more than once; offsets are not assumed
/// (clients cut files differently), so the chunks are joined in index order and the total is checked at the end.
/// </summary>
public static class ChunkLedger
{
    public static ChunkVerdict Judge(IReadOnlyDictionary<int, ChunkMark> received, long totalSize, int totalChunks,
        int index, int declaredTotalChunks, ChunkMark chunk)
    {
        if (declaredTotalChunks != totalChunks) return ChunkVerdict.TotalMismatch;
        if (index < 0 || index >= totalChunks) return ChunkVerdict.IndexOutOfRange;
        if (received.TryGetValue(index, out var existing))
            return existing.Sha256 == chunk.Sha256 && existing.Size == chunk.Size ? ChunkVerdict.Duplicate : ChunkVerdict.Conflict;
        return BytesReceived(received) + chunk.Size > totalSize ? ChunkVerdict.BeyondTotalSize : ChunkVerdict.Accepted;
    }

    /// <summary>How many more bytes any one new chunk may hold before it is over the total.</summary>
    public static long Room(IReadOnlyDictionary<int, ChunkMark> received, long totalSize) => Math.Max(0, totalSize - BytesReceived(received));

    public static long BytesReceived(IReadOnlyDictionary<int, ChunkMark> received) => received.Values.Sum(c => c.Size);

    public static int[] Present(IReadOnlyDictionary<int, ChunkMark> received) => [.. received.Keys.Order()];

    public static int[] Missing(IReadOnlyDictionary<int, ChunkMark> received, int totalChunks) =>
        [.. Enumerable.Range(0, totalChunks).Where(i => !received.ContainsKey(i))];

    /// <summary>Null when the upload can be assembled; otherwise why not.</summary>
    public static string? CompletionProblem(IReadOnlyDictionary<int, ChunkMark> received, long totalSize, int totalChunks)
    {
        var missing = Missing(received, totalChunks);
        if (missing.Length > 0) return $"{missing.Length} of {totalChunks} chunks are missing";
        var bytes = BytesReceived(received);
        return bytes == totalSize ? null : $"the chunks hold {bytes} bytes but totalSize is {totalSize}";
    }
}
