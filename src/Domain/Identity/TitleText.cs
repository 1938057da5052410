using System.Text;

namespace Seismo.Domain.Identity;

/// <summary>Text rules shared by every key builder: how titles are split, trimmed and recognised as paths.</summary>
public static class TitleText
{
    // Playwright and Allure-JS join titles with " › ", Vitest, Mocha-Allure and Euriqa with " > ".
    private static readonly string[] Separators = [" › ", " > ", " » "];

    private static readonly HashSet<string> SourceExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".py", ".rb", ".go", ".php", ".phpt",
        ".rs", ".feature", ".cy", ".vue", ".svelte", ".exs", ".ex", ".lua", ".sh", ".bats",
    };

    /// <summary>NFC, trimmed, inner whitespace runs folded to one space. Case is kept: tests are case-sensitive.</summary>
    public static string NormaliseSegment(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        if (IsAlreadyNormal(text)) return text;
        var normalised = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        var sb = new StringBuilder(normalised.Length);
        var pendingSpace = false;
        foreach (var c in normalised)
        {
            if (char.IsWhiteSpace(c)) { pendingSpace = sb.Length > 0; continue; }
            if (pendingSpace) { sb.Append(' '); pendingSpace = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    // The common case on the ingest path: printable ASCII, trimmed, single spaces. Nothing to allocate.
    private static bool IsAlreadyNormal(string text)
    {
        if (text[0] == ' ' || text[^1] == ' ') return false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is < ' ' or > '~' || (c == ' ' && text[i - 1] == ' ')) return false;
        }
        return true;
    }

    /// <summary>Splits a joined title path ("A › B › c", "A > B > c") into its segments.</summary>
    public static IReadOnlyList<string> SplitTitlePath(string? joined)
    {
        if (string.IsNullOrWhiteSpace(joined)) return [];
        return joined.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The test's own title: the last segment of a joined title path, without splitting the whole path.</summary>
    public static string LastSegment(string joined)
    {
        var cut = -1;
        var width = 0;
        foreach (var separator in Separators)
        {
            var at = joined.LastIndexOf(separator, StringComparison.Ordinal);
            if (at > cut) (cut, width) = (at, separator.Length);
        }
        var last = cut < 0 ? joined : joined[(cut + width)..];
        return string.IsNullOrWhiteSpace(last) ? joined.Trim() : last.Trim();
    }

    /// <summary>True when the text names a source file rather than a class: it has a slash or a script extension.</summary>
    public static bool LooksLikePath(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return false;
        var t = text.Trim();
        if (t.Contains('/') || t.Contains('\\')) return true;
        var dot = t.LastIndexOf('.');
        return dot > 0 && SourceExtensions.Contains(t[dot..]);
    }

    /// <summary>Playwright's JUnit names start with the project: "[chromium] Suite › test" → "Suite › test".</summary>
    public static string StripProjectPrefix(string segment)
    {
        if (!segment.StartsWith('[')) return segment;
        var close = segment.IndexOf("] ", StringComparison.Ordinal);
        return close > 1 ? segment[(close + 2)..] : segment;
    }

    /// <summary>A describe path or title rather than a class name: it has spaces or title separators.</summary>
    public static bool IsTitleLike(string text) => text.Trim().Any(char.IsWhiteSpace);

    /// <summary>The segments normalised and joined by single spaces, as in a key.</summary>
    public static string Flatten(IEnumerable<string> segments) =>
        string.Join(' ', segments.Select(NormaliseSegment).Where(s => s.Length > 0));

    /// <summary>"method()" becomes "method"; "method(int)" is kept, the parameter types tell overloads apart.</summary>
    public static string StripEmptyParentheses(string segment) =>
        segment.EndsWith("()", StringComparison.Ordinal) && segment.Length > 2 ? segment[..^2] : segment;
}
