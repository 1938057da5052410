using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Seismo.Domain.Reporting;

/// <summary>
/// Time-limited artifact links: the path and its expiry (Unix seconds) signed with HMAC-SHA256 under a server key.
/// Any change to the path, the expiry or the token fails verification; comparisons are in constant time.
/// </summary>
public sealed class ArtifactUrlSigner(byte[] key)
{
    public enum Verdict { Valid, Expired, Invalid }

    public string Sign(string path, DateTimeOffset expiresAt) => Token(path, expiresAt.ToUnixTimeSeconds());

    /// <summary>The path with its <c>expires</c> and <c>token</c> query parameters.</summary>
    public string SignedPath(string path, DateTimeOffset expiresAt) =>
        $"{path}?expires={expiresAt.ToUnixTimeSeconds()}&token={Sign(path, expiresAt)}";

    public Verdict Verify(string path, string? expires, string? token, DateTimeOffset now)
    {
        if (expires is null || token is null || !long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
            return Verdict.Invalid;
        var expected = Encoding.ASCII.GetBytes(Token(path, unix));
        var given = Encoding.ASCII.GetBytes(token);
        // The signature is checked first: an altered expiry is tampering, not expiry.
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return Verdict.Invalid;
        return now.ToUnixTimeSeconds() >= unix ? Verdict.Expired : Verdict.Valid;
    }

    private string Token(string path, long unix)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{path}\n{unix.ToString(CultureInfo.InvariantCulture)}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
