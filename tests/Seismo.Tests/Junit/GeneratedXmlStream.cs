using System.Text;

namespace Seismo.Tests.Junit;

/// <summary>
/// A read-only stream of prefix + (filler repeated) + suffix, produced on the fly, so tests can feed the
/// parser a 50 MB document without the test itself holding 50 MB.
/// </summary>
internal sealed class GeneratedXmlStream(string prefix, string filler, long fillerRepeats, string suffix) : Stream
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes(prefix);
    private readonly byte[] _filler = Encoding.UTF8.GetBytes(filler);
    private readonly byte[] _suffix = Encoding.UTF8.GetBytes(suffix);
    private long _position;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var fillerEnd = _prefix.Length + _filler.Length * fillerRepeats;
        var total = fillerEnd + _suffix.Length;
        var written = 0;
        while (written < buffer.Length && _position < total)
        {
            byte b;
            if (_position < _prefix.Length) b = _prefix[_position];
            else if (_position < fillerEnd) b = _filler[(_position - _prefix.Length) % _filler.Length];
            else b = _suffix[_position - fillerEnd];
            buffer[written++] = b;
            _position++;
        }
        return written;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
