namespace Seismo.Tests.Collect;

/// <summary>A body that returns at most <c>maxChunk</c> bytes per read, like a slow network upload.</summary>
internal sealed class TrickleStream(byte[] data, int maxChunk) : MemoryStream(data)
{
    public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, maxChunk)]);

    public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, maxChunk));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        base.ReadAsync(buffer[..Math.Min(buffer.Length, maxChunk)], cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        base.ReadAsync(buffer, offset, Math.Min(count, maxChunk), cancellationToken);
}
