using System.Security.Cryptography;
using System.Text;

namespace Seismo.Domain.Identity;

/// <summary>
/// The one normalised identity of a test within a project, whatever format reported it.
/// <para>
/// A key is an optional class scope followed by the title path:
/// <c>"{scope}::{segment} > {segment} > …"</c>, or just the title path when there is no class scope.
/// File paths are never part of the key: JUnit's <c>file</c> attribute, Euriqa's <c>filePath</c> and the
/// file a Playwright or Vitest report uses as its classname are metadata, because one format sends them
/// and another omits them, and a test must not split in two. A class name (Java, .NET, Python module
/// paths) is part of the key: it is how those frameworks tell same-named methods apart, and every
/// format that reports such tests carries it.
/// </para>
/// See README "Test identity" for the full rules; <see cref="TestKeys"/> builds keys from each format.
/// </summary>
public readonly record struct TestKey
{
    public const string ScopeSeparator = "::";
    public const string PathSeparator = " > ";

    private TestKey(string value) => Value = value;

    public string Value { get; }

    /// <summary>The first 12 bytes of SHA-256 of the key: stable, fixed-size, used in grain keys and ids.</summary>
    public byte[] Hash()
    {
        Span<byte> full = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(Value), full);
        return full[..12].ToArray();
    }

    /// <summary>Lower-case hex of <see cref="Hash"/>: the test's part of its grain key.</summary>
    public string HashHex() => Convert.ToHexStringLower(Hash());

    public override string ToString() => Value;

    /// <summary>Builds a key from an already-split title path and an optional class scope.</summary>
    public static TestKey Create(string? classScope, IEnumerable<string> titlePath)
    {
        var segments = titlePath.Select(TitleText.NormaliseSegment).Where(s => s.Length > 0).ToList();
        var scope = classScope is null ? "" : TitleText.NormaliseSegment(classScope);
        if (scope.Length > 0)
        {
            // JUnit 5 through Gradle reports "method()", Surefire and Allure report "method".
            for (var i = 0; i < segments.Count; i++) segments[i] = TitleText.StripEmptyParentheses(segments[i]);
        }
        if (segments.Count == 0) segments.Add(scope.Length > 0 ? scope : "(unnamed)");
        var path = string.Join(PathSeparator, segments);
        return new TestKey(scope.Length > 0 ? scope + ScopeSeparator + path : path);
    }

    /// <summary>Restores a key from its stored value (no normalisation).</summary>
    public static TestKey FromStored(string value) => new(value);
}
