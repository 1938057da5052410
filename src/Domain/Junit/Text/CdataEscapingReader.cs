using System.Buffers;
using System.Xml;

namespace Seismo.Domain.Junit.Text;

/// <summary>
/// Rewrites every CDATA section into the equivalent escaped character data as the text streams past.
/// XmlReader hands out ordinary text nodes in chunks (ReadValueChunk) but materialises a CDATA section whole,
/// so without this a 100 MB CDATA stack trace or system-out would sit in memory twice over. Comments and
/// processing instructions pass through untouched; a DOCTYPE is refused outright (DTDs are never processed).
/// Whitespace-only text between a tag and a CDATA section is layout (a CDATA body indented under its element)
/// and is dropped, as XmlReader's IgnoreWhitespace would have dropped it as a node of its own.
/// </summary>
internal sealed class CdataEscapingReader(TextReader inner) : TextReader
{
    private enum State { Text, Markup, Comment, Instruction, Cdata }

    private const string CdataOpen = "<![CDATA[";
    private static readonly string[] Openers = ["<?", "<!--", CdataOpen, "<!DOCTYPE"];
    private static readonly SearchValues<char> CdataSpecials = SearchValues.Create("]<&>");
    private static readonly SearchValues<char> TagDelimiters = SearchValues.Create("<>");
    private const int MaxHeldWhitespace = 256;

    private readonly char[] _in = new char[16 * 1024];
    private int _inPos;
    private int _inLen;
    private bool _eof;

    // Pending output produced by one input char (an escape, or a markup prefix that turned out not to be an opener).
    private readonly char[] _out = new char[MaxHeldWhitespace + 32];
    private int _outPos;
    private int _outLen;

    private State _state;
    private readonly char[] _markup = new char[CdataOpen.Length];
    private int _markupLen;
    private int _run;   // consecutive '-' in a comment, '?' seen in an instruction, held ']' in CDATA

    // Whitespace after a '>' held back until we know whether a CDATA section follows it.
    private readonly char[] _held = new char[MaxHeldWhitespace];
    private int _heldLen;
    private bool _holding;

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_outPos < _outLen)
            {
                var n = Math.Min(_outLen - _outPos, buffer.Length - written);
                _out.AsSpan(_outPos, n).CopyTo(buffer[written..]);
                _outPos += n;
                written += n;
                continue;
            }
            _outPos = _outLen = 0;
            if (_inPos == _inLen && !Refill()) break;
            written += CopyPlainRun(buffer[written..]);
            if (written < buffer.Length && _inPos < _inLen) Process(_in[_inPos++]);
        }
        return written;
    }

    public override int Read() => throw new NotSupportedException();

    private bool Refill()
    {
        if (_eof) return false;
        _inPos = 0;
        _inLen = inner.Read(_in, 0, _in.Length);
        if (_inLen > 0) return true;
        _eof = true;
        // Unterminated markup or CDATA at the end: hand back what was held; XmlReader reports the truncation.
        ReleaseHeld();
        Emit(_markup.AsSpan(0, _markupLen));
        if (_state == State.Cdata) Emit("]]".AsSpan(0, _run));
        _markupLen = _run = 0;
        return _outLen > 0;
    }

    /// <summary>Fast path: copies a run of characters that need no attention straight through.</summary>
    private int CopyPlainRun(Span<char> destination)
    {
        // Held whitespace or held ']' must come out first, through Process.
        if (_holding || _state switch { State.Text => false, State.Cdata => _run > 0, _ => true }) return 0;
        var available = _in.AsSpan(_inPos, Math.Min(_inLen - _inPos, destination.Length));
        var stop = available.IndexOfAny(_state == State.Text ? TagDelimiters : CdataSpecials);
        var n = stop < 0 ? available.Length : stop;
        available[..n].CopyTo(destination);
        _inPos += n;
        return n;
    }

    private void Process(char c)
    {
        switch (_state)
        {
            case State.Text:
                OnText(c);
                break;
            case State.Markup:
                OnMarkup(c);
                break;
            case State.Comment:
                Emit(c);
                if (c == '>' && _run >= 2) _state = State.Text;
                _run = c == '-' ? _run + 1 : 0;
                break;
            case State.Instruction:
                Emit(c);
                if (c == '>' && _run == 1) _state = State.Text;
                _run = c == '?' ? 1 : 0;
                break;
            case State.Cdata:
                OnCdata(c);
                break;
        }
    }

    private void OnText(char c)
    {
        if (c == '<')
        {
            _markup[0] = c;
            _markupLen = 1;
            _state = State.Markup;
            return;
        }
        if (_holding && (c is ' ' or '\t' or '\r' or '\n') && _heldLen < _held.Length)
        {
            _held[_heldLen++] = c;
            return;
        }
        ReleaseHeld();
        Emit(c);
        _holding = c == '>';
    }

    private void ReleaseHeld()
    {
        Emit(_held.AsSpan(0, _heldLen));
        _heldLen = 0;
        _holding = false;
    }

    private void OnMarkup(char c)
    {
        _markup[_markupLen++] = c;
        var prefix = _markup.AsSpan(0, _markupLen);
        foreach (var opener in Openers)
        {
            if (!opener.AsSpan().StartsWith(prefix)) continue;
            if (prefix.Length < opener.Length) return;  // still a possible opener: keep holding
            _markupLen = 0;
            _run = 0;
            if (opener == CdataOpen)
            {
                _heldLen = 0;   // layout before the section, and the marker itself, are dropped
                _holding = false;
                _state = State.Cdata;
                return;
            }
            ReleaseHeld();
            switch (opener)
            {
                case "<!DOCTYPE": throw new XmlException("DOCTYPE declarations (DTDs) are not allowed in a JUnit report");
                case "<?": _state = State.Instruction; break;
                default: _state = State.Comment; break;
            }
            Emit(prefix);
            return;
        }
        // Not an opener we track (an element tag, most often): pass the held prefix through and rescan its last char.
        ReleaseHeld();
        _markupLen = 0;
        _state = State.Text;
        Emit(prefix[..^1]);
        Process(c);
    }

    private void OnCdata(char c)
    {
        if (c == ']')
        {
            if (_run == 2) Emit(']');   // hold at most the two that might start "]]>"
            else _run++;
            return;
        }
        if (c == '>' && _run == 2)
        {
            _run = 0;
            _state = State.Text;
            return;
        }
        for (; _run > 0; _run--) Emit(']');
        switch (c)
        {
            case '<': Emit("&lt;"); break;
            case '&': Emit("&amp;"); break;
            case '>': Emit("&gt;"); break;
            default: Emit(c); break;
        }
    }

    private void Emit(char c) => _out[_outLen++] = c;

    private void Emit(ReadOnlySpan<char> s)
    {
        s.CopyTo(_out.AsSpan(_outLen));
        _outLen += s.Length;
    }
}
