using System.Globalization;
using Seismo.Domain.Junit;

namespace Seismo.Tests.Junit;

public sealed class JunitValuesTests
{
    [Theory]
    [InlineData("0.5", 500.0)]
    [InlineData("1", 1000.0)]
    [InlineData("0.002380713", 2.380713)]
    [InlineData("0.000000001", 0.000001)]
    [InlineData("1.7e-05", 0.017)]
    [InlineData(" 2.5 ", 2500.0)]
    [InlineData("1,234.5", 1234500.0)]
    [InlineData("1,234", 1234000.0)]
    [InlineData("12,345,678", 12345678000.0)]
    [InlineData("0,25", 250.0)]
    [InlineData("1.234,5", 1234500.0)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    [InlineData("abc", null)]
    [InlineData("1.2.3", null)]
    [InlineData("-1", null)]
    [InlineData("NaN", null)]
    [InlineData("Infinity", null)]
    [InlineData("1e400", null)]
    public void Seconds_become_milliseconds_leniently(string? value, double? expected) =>
        Assert.Equal(expected, JunitValues.SecondsToMs(value));

    [Fact]
    public void Plain_decimal_seconds_give_exactly_what_parsing_and_rounding_to_the_nanosecond_gives()
    {
        var random = new Random(20261124);
        for (var i = 0; i < 200_000; i++)
        {
            // Up to nine digits before the point: past six the general path takes over, and must agree with itself.
            var whole = random.Next(0, 10) switch { 0 => random.NextInt64(0, 1_000_000_000), 1 => random.Next(0, 1_000_000), < 4 => random.Next(0, 100), _ => 0 };
            var digits = random.Next(0, 10);
            var value = digits == 0 ? whole.ToString(CultureInfo.InvariantCulture)
                : $"{whole}.{random.NextInt64(0, (long)Math.Pow(10, digits)).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0')}";
            var expected = Math.Round(double.Parse(value, CultureInfo.InvariantCulture) * 1000.0, 6);
            Assert.True(expected == JunitValues.SecondsToMs(value), $"{value}: {JunitValues.SecondsToMs(value):R} against {expected:R}");
        }
    }

    [Theory]
    [InlineData("34", 34)]
    [InlineData("0", null)]
    [InlineData("-3", null)]
    [InlineData("x", null)]
    [InlineData("", null)]
    public void Lines_are_positive_integers(string value, int? expected) => Assert.Equal(expected, JunitValues.Line(value));

    [Fact]
    public void Clipping_keeps_surrogate_pairs_whole()
    {
        var clipped = JunitValues.Clip(new string('a', 18) + "🚀🚀🚀🚀🚀🚀", 20);

        Assert.NotNull(clipped);
        Assert.True(clipped.Length <= 20);
        Assert.EndsWith("[truncated]", clipped, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(clipped[^("… [truncated]".Length + 1)]));
    }
}
