using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Seismo.Domain.Junit.Text;

/// <summary>
/// Picks the encoding of an XML document from its first bytes (byte-order mark, else the XML declaration),
/// the way XmlReader would, but returns decoders that throw on invalid bytes instead of substituting U+FFFD.
/// </summary>
internal static partial class EncodingSniffer
{
    /// <summary>Bytes to look at: enough for any sensible XML declaration.</summary>
    public const int HeadLength = 1024;

    public static (Encoding Encoding, int PreambleLength) Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (Utf8, 3);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00])) return (new UTF32Encoding(false, false, true), 4);
        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF])) return (new UTF32Encoding(true, false, true), 4);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (new UnicodeEncoding(false, false, true), 2);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (new UnicodeEncoding(true, false, true), 2);
        if (head.StartsWith((ReadOnlySpan<byte>)[0x3C, 0x00, 0x3F, 0x00])) return (new UnicodeEncoding(false, false, true), 0);
        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x3C, 0x00, 0x3F])) return (new UnicodeEncoding(true, false, true), 0);
        return (FromDeclaration(head), 0);
    }

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>An ASCII-compatible document: honour encoding="..." when it names a single-byte or UTF-8 encoding.</summary>
    private static Encoding FromDeclaration(ReadOnlySpan<byte> head)
    {
        if (!head.StartsWith("<?xml"u8)) return Utf8;
        var end = head.IndexOf("?>"u8);
        if (end < 0) return Utf8;
        var declaration = Encoding.ASCII.GetString(head[..end]);
        var match = EncodingAttribute().Match(declaration);
        if (!match.Success) return Utf8;
        var name = match.Groups["name"].Value;
        // A UTF-16/32 label on bytes that are plainly ASCII-compatible is wrong; XmlReader reads those as UTF-8 too.
        if (name.StartsWith("utf-16", StringComparison.OrdinalIgnoreCase) ||
            name.StartsWith("utf-32", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            return Utf8;
        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new XmlException($"unsupported encoding \"{Shorten(name)}\" in the XML declaration", null, 1, 1);
        }
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    [GeneratedRegex("""\sencoding\s*=\s*(?<q>["'])(?<name>[A-Za-z][A-Za-z0-9._-]*)\k<q>""", RegexOptions.CultureInvariant)]
    private static partial Regex EncodingAttribute();
}
