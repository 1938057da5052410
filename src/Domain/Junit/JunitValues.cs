using System.Globalization;

namespace Seismo.Domain.Junit;

/// <summary>Lenient readers for attribute values, which producers format in many ways.</summary>
internal static class JunitValues
{
    /// <summary>
    /// Seconds (fractions, exponents, nanosecond precision) to milliseconds. Tolerates thousands separators
    /// ("1,234.5") and decimal commas ("0,25", "1.234,5": locale-formatted output). Garbage, empty,
    /// negative or non-finite values give null rather than failing the whole report.
    /// </summary>
    public static double? SecondsToMs(string? value)
    {
        if (value is not null && TryPlainSecondsToMs(value, out var plain)) return plain;
        if (string.IsNullOrWhiteSpace(value) || value.Length > 64) return null;
        var s = value.Trim();
        var comma = s.LastIndexOf(',');
        var dot = s.LastIndexOf('.');
        if (comma >= 0)
        {
            if (dot > comma) s = s.Replace(",", "");                            // 1,234.5
            else if (dot >= 0) s = s.Replace(".", "").Replace(',', '.');       // 1.234,5
            else s = IsDecimalComma(s, comma) ? s.Replace(',', '.') : s.Replace(",", "");
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) return null;
        if (!double.IsFinite(seconds) || seconds < 0) return null;
        // Rounded to the nanosecond: the most precise producers write, without binary-fraction noise.
        return Math.Round(seconds * 1000.0, 6);
    }

    /// <summary>
    /// The form nearly every producer writes, "12" or "0.123" (up to six digits before the point, nine after), in
    /// whole nanoseconds: below 2^53 nanoseconds this division is exactly what the general path's parse and rounding
    /// to the nanosecond give, without a culture-aware number parse per test case.
    /// </summary>
    private static bool TryPlainSecondsToMs(string s, out double ms)
    {
        ms = 0;
        long whole = 0, fraction = 0;
        int i = 0, wholeDigits = 0, fractionDigits = 0;
        for (; i < s.Length && char.IsAsciiDigit(s[i]); i++, wholeDigits++) whole = whole * 10 + (s[i] - '0');
        if (wholeDigits is 0 or > 6) return false;
        if (i < s.Length)
        {
            if (s[i++] != '.') return false;
            for (; i < s.Length && char.IsAsciiDigit(s[i]); i++, fractionDigits++) fraction = fraction * 10 + (s[i] - '0');
            if (i < s.Length || fractionDigits is 0 or > 9) return false;
        }
        for (var d = fractionDigits; d < 9; d++) fraction *= 10;
        ms = (whole * 1_000_000_000 + fraction) / 1_000_000.0;
        return true;
    }

    /// <summary>"1,234" is a thousands separator; "0,25", "1,5" and "12,0001" are decimal commas.</summary>
    private static bool IsDecimalComma(string s, int comma)
    {
        if (s.IndexOf(',') != comma) return false;   // several commas: grouping
        var fraction = s.Length - comma - 1;
        var whole = s.AsSpan(0, comma).TrimStart('-');
        return fraction != 3 || whole is "0" || whole.IsEmpty;
    }

    /// <summary>A positive line number, else null.</summary>
    public static int? Line(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var line) && line > 0 ? line : null;

    /// <summary>Caps an attribute value; empty becomes null.</summary>
    public static string? Clip(string? value, int limit)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (value.Length > limit)
        {
            var keep = limit - BoundedText.TruncationMarker.Length;
            if (char.IsHighSurrogate(value[keep - 1])) keep--;
            value = string.Concat(value.AsSpan(0, keep), BoundedText.TruncationMarker);
        }
        return BoundedText.Sanitize(value);
    }

    /// <summary>Like <see cref="Clip"/> but never null, for names.</summary>
    public static string Name(string? value, int limit) => Clip(value, limit) ?? "";
}
