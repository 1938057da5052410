using System.Text;
using System.Xml;

namespace Seismo.Domain.Junit.Text;

/// <summary>
/// Decodes a byte stream in fixed-size chunks with a strict decoder: invalid byte sequences surface as an
/// <see cref="XmlException"/> naming the byte offset instead of being silently replaced. Does not own the stream.
/// </summary>
internal sealed class DecodingTextReader(Stream stream) : TextReader
{
    private const int ByteBufferSize = 16 * 1024;

    private readonly byte[] _bytes = new byte[ByteBufferSize];
    private int _byteStart;
    private int _byteEnd;
    private long _bytesBeforeBuffer;
    private bool _endOfStream;
    private Decoder? _decoder;
    private string _encodingName = "";

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        if (buffer.IsEmpty) return 0;
        _decoder ??= Start();
        while (true)
        {
            if (_byteStart == _byteEnd && !_endOfStream) Fill();
            var flush = _endOfStream;
            int bytesUsed, charsUsed;
            try
            {
                _decoder.Convert(_bytes.AsSpan(_byteStart, _byteEnd - _byteStart), buffer, flush, out bytesUsed, out charsUsed, out _);
            }
            catch (DecoderFallbackException e)
            {
                var offset = _bytesBeforeBuffer + _byteStart + Math.Max(0, e.Index);
                throw new XmlException($"invalid {_encodingName} byte sequence near byte offset {offset}", e);
            }
            _byteStart += bytesUsed;
            if (charsUsed > 0 || (_endOfStream && _byteStart == _byteEnd)) return charsUsed;
        }
    }

    // XmlReader only reads in blocks; a one-char read could not hold a surrogate pair anyway.
    public override int Read() => throw new NotSupportedException();

    /// <summary>Reads the document head, picks the encoding and skips the byte-order mark.</summary>
    private Decoder Start()
    {
        while (_byteEnd < EncodingSniffer.HeadLength && !_endOfStream) ReadMore();
        if (_byteEnd == 0) throw new XmlException("the file is empty");
        var (encoding, preamble) = EncodingSniffer.Detect(_bytes.AsSpan(0, _byteEnd));
        _byteStart = Math.Min(preamble, _byteEnd);
        _encodingName = encoding.WebName;
        return encoding.GetDecoder();
    }

    private void Fill()
    {
        _bytesBeforeBuffer += _byteEnd;
        _byteStart = _byteEnd = 0;
        ReadMore();
    }

    private void ReadMore()
    {
        var n = stream.Read(_bytes, _byteEnd, _bytes.Length - _byteEnd);
        if (n == 0) _endOfStream = true;
        _byteEnd += n;
    }
}
