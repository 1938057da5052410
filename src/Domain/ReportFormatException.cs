namespace Seismo.Domain;

/// <summary>
/// A report, archive or document that cannot be read. The message is meant for the client:
/// it names the file (and the line where known) and what is wrong.
/// </summary>
public sealed class ReportFormatException(string message, Exception? inner = null) : Exception(message, inner);
