namespace Seismo.Domain.Collect;

/// <summary>
/// Why an archive was refused. The contract maps <see cref="NotZstd"/> to HTTP 415 and every other kind to 400.
/// (422 is only for a readable command.json that lacks required fields; see <see cref="CommandJsonValidator"/>.)
/// </summary>
public enum CollectArchiveErrorKind
{
    /// <summary>The body does not start with a zstd frame (HTTP 415).</summary>
    NotZstd,
    /// <summary>Corrupt or truncated zstd or tar data, a duplicate entry, or an entry without a name.</summary>
    InvalidArchive,
    /// <summary>A size limit that is not an attachment limit: decompressed total, command.json, zstd window, tar metadata.</summary>
    TooLarge,
    /// <summary>An absolute path, a <c>..</c> segment, a link, a device, a fifo or an unsupported entry type.</summary>
    UnsafeEntry,
    /// <summary>Attachment governance from the contract: disallowed extension, or per-file / total size exceeded.</summary>
    AttachmentRejected,
    /// <summary>
    /// No command.json at the archive root. This is 400 ("invalid archive format"), not 422: the archive itself lacks
    /// its required structure, while 422 is for a command.json that was read but misses required fields.
    /// </summary>
    MissingCommand,
    TooManyEntries,
}

/// <summary>An archive that cannot be accepted. The message is meant for the client and names the entry when there is one.</summary>
public sealed class CollectArchiveException(
    CollectArchiveErrorKind kind, string message, string? entryName = null, Exception? inner = null)
    : Exception(message, inner)
{
    public CollectArchiveErrorKind Kind { get; } = kind;

    /// <summary>The normalised (or, for unsafe names, raw) entry name the error is about, if any.</summary>
    public string? EntryName { get; } = entryName;
}
