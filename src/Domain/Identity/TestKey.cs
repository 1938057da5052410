using System.Security.Cryptography;
using System.Text;

namespace Seismo.Domain.Identity;

/// <summary>
/// The one normalised identity of a test within a project, whatever format reported it.
/// <para>
/// A key is the test's class scope (when it has one) followed by its title path, each part normalised and all of
/// them joined by single spaces: <c>"com.acme.CartTest addsItem"</c>, <c>"Checkout cart totals applies discount"</c>.
/// Joining with spaces makes the formats agree: Jest and Mocha write the title path space-joined into one name,
/// Vitest and Euriqa join it with " > ", Playwright with " › ", Allure splits it over suite labels.
/// File paths are never part of the key: one format sends them and another omits them, and a test must not
/// split in two. See <see cref="TestKeys"/> for each format's rules and README "Test identity".
/// </para>
/// </summary>
public readonly record struct TestKey
{
    private TestKey(string value) => Value = value;

    public string Value { get; }

    /// <summary>The first 12 bytes of SHA-256 of the key: stable, fixed-size, used in grain keys and ids.</summary>
    public byte[] Hash()
    {
        Span<byte> full = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(Value), full);
        return full[..12].ToArray();
    }

    /// <summary>Lower-case hex of <see cref="Hash"/>: the test's part of its grain key and public id.</summary>
    public string HashHex() => Convert.ToHexStringLower(Hash());

    public override string ToString() => Value;

    /// <summary>Builds a key from an optional class scope and the title path.</summary>
    public static TestKey Create(string? classScope, IEnumerable<string> titlePath)
    {
        var parts = new List<string>();
        if (classScope is not null && TitleText.NormaliseSegment(classScope) is { Length: > 0 } scope) parts.Add(scope);
        parts.AddRange(titlePath.Select(TitleText.NormaliseSegment).Where(s => s.Length > 0));
        if (parts.Count == 0) return new TestKey("(unnamed)");
        // JUnit 5 through Gradle reports "method()", Surefire and Allure report "method".
        parts[^1] = TitleText.StripEmptyParentheses(parts[^1]);
        return new TestKey(string.Join(' ', parts));
    }

    /// <summary>Restores a key from its stored value (no normalisation).</summary>
    public static TestKey FromStored(string value) => new(value);
}
