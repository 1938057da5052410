using System.Text;
using System.Xml;

namespace Seismo.Domain.Junit;

/// <summary>
/// Collects element text up to a character cap, pulling it from the reader in chunks so an over-long body is
/// dropped as it streams by rather than held. Leading blank lines and trailing whitespace are layout and are not
/// kept; the indentation of the first line is (Go test logs start indented).
/// </summary>
internal sealed class BoundedText(int limit)
{
    internal const string TruncationMarker = "… [truncated]";

    private readonly StringBuilder _text = new();
    private readonly StringBuilder _indent = new();   // whitespace of the first line, held until content shows up
    private bool _atStart = true;                      // no content yet in the current paragraph
    private bool _truncated;

    /// <summary>Appends all text inside the current element (descendants included) and leaves the reader on its end tag.</summary>
    public void AppendElementContent(ReadContext context)
    {
        var reader = context.Reader;
        if (reader.IsEmptyElement) return;
        var depth = reader.Depth;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.EndElement when reader.Depth == depth:
                    return;
                case XmlNodeType.Element:
                    context.CheckDepth();
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    int n;
                    while ((n = reader.ReadValueChunk(context.Scratch, 0, context.Scratch.Length)) > 0)
                        Append(context.Scratch.AsSpan(0, n));
                    break;
            }
        }
    }

    /// <summary>Starts a new paragraph if there is text already (several failure bodies, say).</summary>
    public void Separate()
    {
        if (_truncated || _text.Length == 0) return;
        TrimEnd();
        Append("\n\n");
        _atStart = true;
        _indent.Clear();
    }

    public void Append(ReadOnlySpan<char> chunk)
    {
        if (_truncated) return;
        if (_atStart) chunk = SkipLeadingBlankLines(chunk);
        if (chunk.IsEmpty) return;
        var room = limit - _text.Length;
        if (chunk.Length <= room)
        {
            _text.Append(chunk);
            return;
        }
        // Cut so that text plus marker fit the limit exactly, never between the halves of a surrogate pair.
        var cut = limit - TruncationMarker.Length;
        _text.Append(chunk[..Math.Clamp(cut - _text.Length, 0, chunk.Length)]);
        _text.Length = Math.Min(_text.Length, cut);
        if (_text.Length > 0 && char.IsHighSurrogate(_text[^1])) _text.Length--;
        _text.Append(TruncationMarker);
        _truncated = true;
    }

    public string? Build()
    {
        if (!_truncated) TrimEnd();
        return _text.Length == 0 ? null : Sanitize(_text.ToString());
    }

    private ReadOnlySpan<char> SkipLeadingBlankLines(ReadOnlySpan<char> chunk)
    {
        var i = 0;
        for (; i < chunk.Length && char.IsWhiteSpace(chunk[i]); i++)
        {
            if (chunk[i] is '\n' or '\r') _indent.Clear();
            else if (_indent.Length < limit / 4) _indent.Append(chunk[i]);
        }
        if (i == chunk.Length) return [];
        _text.Append(_indent);
        _indent.Clear();
        _atStart = false;
        return chunk[i..];
    }

    private void TrimEnd()
    {
        var end = _text.Length;
        while (end > 0 && char.IsWhiteSpace(_text[end - 1])) end--;
        _text.Length = end;
    }

    /// <summary>NUL cannot be stored in most databases; everything else stays as the producer wrote it.</summary>
    internal static string Sanitize(string s) => s.Contains('\0') ? s.Replace('\0', '\uFFFD') : s;
}
