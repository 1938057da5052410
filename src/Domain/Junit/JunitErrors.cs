using System.Xml;

namespace Seismo.Domain.Junit;

/// <summary>Client-facing error messages: "file:line:column: what is wrong".</summary>
internal static class JunitErrors
{
    public static string Format(string fileName, int line, int column, string reason) =>
        line > 0 ? $"{fileName}:{line}:{column}: {reason}" : $"{fileName}: {reason}";

    public static ReportFormatException FromXml(string fileName, XmlException e)
    {
        // XmlException appends " Line n, position m." to its message; the position goes up front instead.
        var message = e.Message;
        var suffix = $" Line {e.LineNumber}, position {e.LinePosition}.";
        if (e.LineNumber > 0 && message.EndsWith(suffix, StringComparison.Ordinal)) message = message[..^suffix.Length];
        return new ReportFormatException(Format(fileName, e.LineNumber, e.LinePosition, $"invalid XML: {message}"), e);
    }
}
