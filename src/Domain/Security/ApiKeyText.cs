using System.Security.Cryptography;
using System.Text;

namespace Seismo.Domain.Security;

/// <summary>Plaintext API keys: generated once, stored only as SHA-256, shown masked.</summary>
public static class ApiKeyText
{
    public const string Prefix = "smo_";

    public static string Generate()
    {
        Span<byte> random = stackalloc byte[24];
        RandomNumberGenerator.Fill(random);
        return Prefix + Convert.ToHexStringLower(random);
    }

    public static string HashHex(string plaintext) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext)));

    /// <summary>"smo_****...****a1b2": enough to recognise a key, never enough to use it.</summary>
    public static string Mask(string plaintext)
    {
        var prefixEnd = plaintext.IndexOf('_') + 1;
        var head = prefixEnd is > 0 and <= 8 ? plaintext[..prefixEnd] : "";
        var tail = plaintext.Length >= 8 ? plaintext[^4..] : "";
        return $"{head}****...****{tail}";
    }
}
