using System.Text;

namespace Seismo.Cli.Run;

/// <summary>
/// Keeps the wrapped command's output for output.txt, bounded: when it grows past the limit the oldest text goes
/// (the end of a log is where failures are) and a note says how much was dropped.
/// </summary>
public sealed class OutputCapture(int maxChars)
{
    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private long _dropped;

    public void Append(ReadOnlySpan<char> chunk)
    {
        lock (_gate)
        {
            _text.Append(chunk);
            // Trim in halves rather than per write, so a chatty command does not shift the buffer on every line.
            if (_text.Length > maxChars * 2L || (_text.Length > maxChars && chunk.Length > maxChars))
            {
                var excess = _text.Length - maxChars;
                _text.Remove(0, excess);
                _dropped += excess;
            }
        }
    }

    public string Text()
    {
        lock (_gate)
        {
            var text = _text.Length > maxChars ? _text.ToString(_text.Length - maxChars, maxChars) : _text.ToString();
            var dropped = _dropped + Math.Max(0, _text.Length - maxChars);
            return dropped == 0 ? text : $"[seismo: the first {dropped} characters of output were dropped]\n{text}";
        }
    }
}
