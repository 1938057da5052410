namespace Seismo.Domain.Junit;

/// <summary>
/// Bounds applied while reading a JUnit report. Reports are untrusted uploads, so every text we keep is capped
/// and the document as a whole is capped; text beyond a cap is read in chunks and dropped, never held whole.
/// </summary>
public sealed record JunitLimits
{
    /// <summary>Failure/error/skipped messages (attributes) and property values.</summary>
    public int MaxMessageChars { get; init; } = 4096;

    /// <summary>Failure/error bodies (stack traces).</summary>
    public int MaxDetailChars { get; init; } = 16384;

    /// <summary>Testcase system-out and system-err, each.</summary>
    public int MaxOutputChars { get; init; } = 16384;

    /// <summary>Element nesting depth, the root element counting as 1.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Characters in the whole document (after decoding).</summary>
    public long MaxCharacters { get; init; } = 512L * 1024 * 1024;

    /// <summary>Testcase-level properties kept per test case; further ones are dropped.</summary>
    public int MaxProperties { get; init; } = 256;

    public static JunitLimits Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageChars, 16, nameof(MaxMessageChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDetailChars, 16, nameof(MaxDetailChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOutputChars, 16, nameof(MaxOutputChars));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 2, nameof(MaxDepth));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCharacters, 1024L, nameof(MaxCharacters));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxProperties, nameof(MaxProperties));
    }
}
