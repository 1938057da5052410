namespace Seismo.Domain.Uploads;

/// <summary>Bounds on an uploaded zip: what a results archive may hold before it is refused as unsafe.</summary>
public sealed record ZipLimits
{
    public static ZipLimits Default { get; } = new();

    /// <summary>Files and folders in the archive.</summary>
    public int MaxEntries { get; init; } = 100_000;

    /// <summary>Bytes of all files once extracted.</summary>
    public long MaxUncompressedBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    /// <summary>Uncompressed over compressed size of one entry; text compresses about 10:1, bombs 1000:1.</summary>
    public int MaxCompressionRatio { get; init; } = 200;

    /// <summary>Entries smaller than this are not held to the ratio (a run of zeros in a small file is harmless).</summary>
    public long RatioFloorBytes { get; init; } = 1024 * 1024;

    public int MaxPathLength { get; init; } = 1024;

    public int MaxDepth { get; init; } = 32;
}
