namespace Seismo.Domain.Collect.Streams;

/// <summary>
/// What a visitor gets for one entry: at most <c>visibleLength</c> bytes of its data. Reports a tar entry that
/// ends before its declared size as a corrupt archive, rather than as a short (and misleadingly valid) file.
/// Disposing it leaves TarReader's own data stream alone, so TarReader can still skip the unread rest.
/// </summary>
internal sealed class EntryContentStream(Stream? data, string entryName, long declaredLength, long visibleLength)
    : ReadOnlyStream
{
    private long _position;

    public override long Length => visibleLength;

    public override int Read(Span<byte> buffer)
    {
        var wanted = Wanted(buffer.Length);
        if (wanted == 0) return 0;
        return Advance(data!.Read(buffer[..wanted]));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = Wanted(buffer.Length);
        if (wanted == 0) return 0;
        return Advance(await data!.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false));
    }

    private int Wanted(int bufferLength) =>
        data is null ? 0 : (int)Math.Min(bufferLength, visibleLength - _position);

    private int Advance(int read)
    {
        if (read == 0 && _position < declaredLength)
        {
            throw new CollectArchiveException(CollectArchiveErrorKind.InvalidArchive,
                $"Entry '{entryName}' is truncated: {_position} of {declaredLength} bytes present.", entryName);
        }
        _position += read;
        return read;
    }
}
