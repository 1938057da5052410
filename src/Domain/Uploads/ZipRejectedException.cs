namespace Seismo.Domain.Uploads;

/// <summary>An uploaded zip that is refused; <see cref="Reason"/> is a short code, the message says what to fix.</summary>
public sealed class ZipRejectedException(string reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Reason { get; } = reason;
}
