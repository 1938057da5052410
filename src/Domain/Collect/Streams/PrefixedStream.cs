namespace Seismo.Domain.Collect.Streams;

/// <summary>Puts back the bytes that were read to sniff the format, in front of the rest of the body.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream rest) : ReadOnlyStream
{
    private int _prefixPosition;

    public override int Read(Span<byte> buffer)
    {
        if (TakePrefix(buffer) is var n and > 0) return n;
        return rest.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TakePrefix(buffer.Span) is var n and > 0) return n;
        return await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    private int TakePrefix(Span<byte> buffer)
    {
        var n = Math.Min(prefix.Length - _prefixPosition, buffer.Length);
        prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
        _prefixPosition += n;
        return n;
    }
}
