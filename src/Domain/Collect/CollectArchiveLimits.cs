namespace Seismo.Domain.Collect;

/// <summary>
/// Limits applied while reading a <c>POST /collect</c> archive. Sizes are in bytes (1 MB = 1024 × 1024).
/// The attachment limits and extensions come from the collect contract; the rest protect the server.
/// </summary>
public sealed record CollectArchiveLimits
{
    private const long MB = 1024 * 1024;

    /// <summary>The contract's text-only attachment types, compared case-insensitively, without the dot.</summary>
    public static IReadOnlySet<string> ContractAttachmentExtensions { get; } =
        new HashSet<string>(["xml", "json", "yaml", "yml", "csv", "txt", "html", "htm", "log"], StringComparer.OrdinalIgnoreCase);

    // Declared after the extension set: static initialisers run in order, and new() reads that set.
    public static CollectArchiveLimits Default { get; } = new();

    /// <summary>Per attachment file (contract: 5 MB).</summary>
    public long MaxAttachmentBytes { get; init; } = 5 * MB;

    /// <summary>All attachments together (contract: 10 MB).</summary>
    public long MaxAttachmentsTotalBytes { get; init; } = 10 * MB;

    /// <summary>output.txt beyond this is cut off (not rejected): the visitor sees only the first bytes.</summary>
    public long MaxOutputBytes { get; init; } = 16 * MB;

    public int MaxCommandJsonBytes { get; init; } = (int)MB;

    /// <summary>Total tar bytes after decompression, so a small zstd bomb cannot expand without bound.</summary>
    public long MaxDecompressedBytes { get; init; } = 64 * MB;

    /// <summary>Tar entries of any type, directories included.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>
    /// Longest entry name in characters. Names of accepted files are kept (for duplicate checks and the result),
    /// so this bounds that memory; 1024 is macOS's PATH_MAX and well beyond real report paths.
    /// </summary>
    public int MaxEntryNameLength { get; init; } = 1024;

    /// <summary>
    /// Largest PAX or GNU long-name header. TarReader allocates the declared size before reading it,
    /// so without this cap a 512-byte header could make it allocate gigabytes.
    /// </summary>
    public int MaxTarMetadataBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Largest zstd window as a power of two (24 = 16 MB). The decoder allocates the window a frame asks for;
    /// zstd levels 1–19 need at most 2^23, so only <c>--long</c> or <c>--ultra</c> archives exceed this.
    /// </summary>
    public int MaxZstdWindowLog { get; init; } = 24;

    public IReadOnlySet<string> AllowedAttachmentExtensions { get; init; } = ContractAttachmentExtensions;
}
