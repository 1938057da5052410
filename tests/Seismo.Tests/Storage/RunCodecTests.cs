using System.Text.Json;
using Seismo.Grains;
using Seismo.Grains.Storage;
using ZstdSharp;

namespace Seismo.Tests.Storage;

public class RunCodecTests
{
    private static readonly TestResult[] Results =
    [
        new("com.acme.CartTest adds item", "adds item", "adds item", "com.acme.CartTest", "src/cart.ts", 42, TestStatus.Failed, 3, 12.375,
            "expected 1 but was 2", "AssertionError", "at cart.ts:42\n  at run", "0123456789abcdef01234567", 17),
        new("Checkout › totals ✓ ünïcödé 😀", "ünïcödé 😀", null, null, null, null, TestStatus.Flaky, 1, 0, null, null, null, "ffffffffffffffffffffffff"),
        new("", "", "", "", "", -7, TestStatus.Skipped, 0, double.MaxValue, "", "", "", "", long.MaxValue),
        new("scope with spaces title", "title", "title", "scope with spaces", null, 1, TestStatus.Passed, 1, 1, null, null, null, "h", 2),
        new("c t", "other", "t", "c", null, 1, TestStatus.Passed, 1, 1, null, null, null, "h", 3),
        new("t", "t", "t", "c", null, 1, TestStatus.Passed, 1, 1, null, null, null, "h", 4),
        new("k", "t", "t", "c", null, int.MinValue, TestStatus.Error, int.MaxValue, -0.5, new string('x', 70_000), null, null, "h", 1),
    ];

    [Fact]
    public void Results_round_trip_field_for_field()
    {
        var decoded = RunCodec.DecodeResults(RunCodec.EncodeResults(Results));
        Assert.Equal(Results, decoded);
    }

    [Fact]
    public void An_empty_run_round_trips()
    {
        Assert.Empty(RunCodec.DecodeResults(RunCodec.EncodeResults([])));
    }

    [Fact]
    public void Rows_written_as_compressed_json_are_still_read()
    {
        // The layout run rows had before the binary one: zstd-compressed JSON, nulls omitted.
        var json = JsonSerializer.SerializeToUtf8Bytes(Results, new JsonSerializerOptions
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        });
        using var compressor = new Compressor(1);
        var legacy = compressor.Wrap(json).ToArray();
        Assert.Equal(Results, RunCodec.DecodeResults(legacy));
    }

    [Fact]
    public void The_binary_layout_is_smaller_than_the_json_one_for_a_typical_run()
    {
        var many = Enumerable.Range(0, 1000).Select(i => new TestResult($"com.acme.module{i % 40}.Feature{i % 97}Test test_{i}_behaves",
            $"test_{i}_behaves", $"test_{i}_behaves", $"com.acme.module{i % 40}.Feature{i % 97}Test", null, null, TestStatus.Passed, 1,
            Math.Round(i * 0.731, 3) * 1000, null, null, null, i.ToString("x24"), i)).ToArray();
        var json = JsonSerializer.SerializeToUtf8Bytes(many, new JsonSerializerOptions
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        });
        using var compressor = new Compressor(RunCodec.CompressionLevel);
        var encoded = RunCodec.EncodeResults(many);
        Assert.True(encoded.Length < compressor.Wrap(json).Length);
        Assert.Equal(many, RunCodec.DecodeResults(encoded));
    }

    [Fact]
    public void A_truncated_record_is_refused()
    {
        var encoded = RunCodec.EncodeResults(Results);
        Assert.ThrowsAny<Exception>(() => RunCodec.DecodeResults(encoded.AsSpan(0, encoded.Length / 2)));
    }
}
