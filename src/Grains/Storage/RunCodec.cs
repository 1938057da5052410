using System.Text.Json;
using System.Text.Json.Serialization;
using ZstdSharp;

namespace Seismo.Grains.Storage;

/// <summary>Serialises run rows: metadata as JSON, results as zstd-compressed JSON (about 10x smaller).</summary>
public static class RunCodec
{
    public static byte[] EncodeSummary(RunSummary summary) =>
        JsonSerializer.SerializeToUtf8Bytes(summary, RunJsonContext.Default.RunSummary);

    public static RunSummary DecodeSummary(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, RunJsonContext.Default.RunSummary)
        ?? throw new InvalidDataException("empty run record");

    public static byte[] EncodeResults(IReadOnlyList<TestResult> results)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(results.ToArray(), RunJsonContext.Default.TestResultArray);
        // Level 1: results are repetitive and compress about 8x even so; the run record is on the answer's path.
        using var compressor = new Compressor(1);
        return compressor.Wrap(json).ToArray();
    }

    public static IReadOnlyList<TestResult> DecodeResults(ReadOnlySpan<byte> compressed)
    {
        using var decompressor = new Decompressor();
        var json = decompressor.Unwrap(compressed);
        return JsonSerializer.Deserialize(json, RunJsonContext.Default.TestResultArray) ?? [];
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(TestResult[]))]
internal sealed partial class RunJsonContext : JsonSerializerContext;
