namespace Seismo.Domain;

/// <summary>
/// A report, archive or document that cannot be read. The message is meant for the client:
/// it names the file (and the line where known) and what is wrong.
/// </summary>
public sealed class ReportFormatException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// True when the document is well-formed but of another kind (an XML file that is not a JUnit report):
    /// a caller scanning attachments may skip it instead of failing.
    /// </summary>
    public bool IsOtherFormat { get; init; }
}
