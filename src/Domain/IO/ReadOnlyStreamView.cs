namespace Seismo.Domain.IO;

/// <summary>
/// A forward-only, read-only view of another stream that knows how far it has been read. Subclasses decide what a read
/// does (check, count, report); this holds what every such view says about itself and disposes the stream it wraps.
/// </summary>
public abstract class ReadOnlyStreamView(Stream inner) : Stream
{
    protected Stream Inner { get; } = inner;

    /// <summary>The bytes this view has yielded so far.</summary>
    protected long BytesRead { get; set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }
}
