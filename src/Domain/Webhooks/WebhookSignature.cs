using System.Security.Cryptography;
using System.Text;

namespace Seismo.Domain.Webhooks;

/// <summary>
/// The <c>X-Seismo-Signature</c> header: <c>sha256=</c> and the lower-case hex HMAC-SHA256, keyed with the webhook's
/// secret, of the <c>X-Seismo-Timestamp</c> value, a dot and the exact request body.
/// </summary>
public static class WebhookSignature
{
    public const string Prefix = "sha256=";

    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var n = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[n] = (byte)'.';
        body.CopyTo(signed.AsSpan(n + 1));
        return Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>What a receiver does: recompute and compare in constant time.</summary>
    public static bool Verify(string secret, string timestamp, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Compute(secret, timestamp, body)), Encoding.ASCII.GetBytes(signature));
}
