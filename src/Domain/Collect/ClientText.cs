using System.Text;

namespace Seismo.Domain.Collect;

/// <summary>Client-supplied text (entry names, JSON keys) quoted back in error messages: no control characters, bounded length.</summary>
internal static class ClientText
{
    public const int MaxLength = 200;

    public static string Quote(string text)
    {
        var shown = text.Length > MaxLength ? text[..MaxLength] : text;
        var builder = new StringBuilder(shown.Length + 1);
        foreach (var c in shown) builder.Append(char.IsControl(c) ? '?' : c);
        if (shown.Length < text.Length) builder.Append('…');
        return builder.ToString();
    }
}
