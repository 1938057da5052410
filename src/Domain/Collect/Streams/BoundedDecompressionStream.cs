using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Seismo.Domain.Collect.Streams;

/// <summary>
/// Decompresses zstd, counts the output and stops with <see cref="CollectArchiveErrorKind.TooLarge"/> as soon as it
/// exceeds the limit, so a bomb is never expanded further. Decoder errors become <see cref="CollectArchiveException"/>;
/// errors of the body stream itself (a client that went away) pass through unchanged.
/// </summary>
internal sealed class BoundedDecompressionStream : ReadOnlyStream
{
    private readonly DecompressionStream _zstd;
    private readonly CollectArchiveLimits _limits;

    public BoundedDecompressionStream(Stream compressed, CollectArchiveLimits limits)
    {
        _limits = limits;
        _zstd = new DecompressionStream(compressed, bufferSize: 0, checkEndOfStream: true, leaveOpen: true);
        _zstd.SetParameter(ZSTD_dParameter.ZSTD_d_windowLogMax, limits.MaxZstdWindowLog);
    }

    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Count(_zstd.Read(buffer));
        }
        catch (Exception e) when (e is ZstdException or EndOfStreamException)
        {
            throw Translate(e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Count(await _zstd.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is ZstdException or EndOfStreamException)
        {
            throw Translate(e);
        }
    }

    /// <summary>Reads to the end so a truncated or corrupt frame after the tar end marker is still detected.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0) { }
    }

    private int Count(int read)
    {
        BytesRead += read;
        if (BytesRead > _limits.MaxDecompressedBytes)
        {
            throw new CollectArchiveException(CollectArchiveErrorKind.TooLarge,
                $"The archive expands to more than {Sizes.Describe(_limits.MaxDecompressedBytes)} when decompressed.");
        }
        return read;
    }

    private CollectArchiveException Translate(Exception e) => e switch
    {
        ZstdException { Code: ZSTD_ErrorCode.ZSTD_error_frameParameter_windowTooLarge } => new(
            CollectArchiveErrorKind.TooLarge,
            $"The zstd frame needs a window larger than {Sizes.Describe(1L << _limits.MaxZstdWindowLog)}; compress without --long or --ultra.",
            inner: e),
        ZstdException z => new(CollectArchiveErrorKind.InvalidArchive, $"The zstd data is corrupt ({z.Message}).", inner: e),
        _ => new(CollectArchiveErrorKind.InvalidArchive, "The zstd data ends unexpectedly (truncated upload?).", inner: e),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing) _zstd.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _zstd.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
