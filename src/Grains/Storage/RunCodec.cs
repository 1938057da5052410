using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ZstdSharp;

namespace Seismo.Grains.Storage;

/// <summary>
/// Serialises run rows: metadata as JSON, results in a compact binary layout compressed with zstd.
/// <para>
/// Results: one format byte (<see cref="BinaryFormat"/>), then a zstd frame holding the result count and each
/// result: a shape byte saying which of its title and key repeat other fields, then class name, full title, title and
/// key (each unless the shape says it repeats), and the other fields in declaration order. Strings are a varint of
/// (UTF-8 length + 1, 0 for null), integers zig-zag varints, the duration a little-endian IEEE double. Rows written before this layout hold zstd-compressed
/// JSON and start with the zstd frame magic (0x28): they are still read.
/// </para>
/// </summary>
public static class RunCodec
{
    private const byte BinaryFormat = 1;
    private const byte ZstdMagicFirstByte = 0x28;

    /// <summary>
    /// zstd's fast level -3: the run record is on the answer's path, and at level 1 compressing it took about a tenth of
    /// the CPU of an ingested result; the record is about half as large again.
    /// </summary>
    public const int CompressionLevel = -3;

    [ThreadStatic] private static Compressor? _compressor;

    public static byte[] EncodeSummary(RunSummary summary) =>
        JsonSerializer.SerializeToUtf8Bytes(summary, RunJsonContext.Default.RunSummary);

    public static RunSummary DecodeSummary(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, RunJsonContext.Default.RunSummary)
        ?? throw new InvalidDataException("empty run record");

    public static byte[] EncodeResults(IReadOnlyList<TestResult> results)
    {
        var payload = new PayloadWriter(64 * results.Count + 16);
        try
        {
            payload.WriteVarint(results.Count);
            foreach (var r in results)
            {
                // Most of a result's text repeats itself: the title is the full title and the key is the class scope
                // and the title joined by a space. Those are flagged rather than written twice.
                var shape = ShapeOf(r);
                payload.WriteByte((byte)shape);
                payload.WriteString(r.ClassName);
                payload.WriteString(r.FullTitle);
                if ((shape & Shape.TitleIsFullTitle) == 0) payload.WriteString(r.Title);
                if ((shape & (Shape.KeyIsClassAndFullTitle | Shape.KeyIsFullTitle)) == 0) payload.WriteString(r.Key);
                payload.WriteString(r.FilePath);
                payload.WriteVarint(r.Line is { } line ? ZigZag(line) + 1 : 0);
                payload.WriteByte((byte)r.Status);
                payload.WriteVarint(ZigZag(r.Attempts));
                payload.WriteDouble(r.DurationMs);
                payload.WriteString(r.Message);
                payload.WriteString(r.ErrorType);
                payload.WriteString(r.Stack);
                payload.WriteString(r.KeyHash);
                payload.WriteVarint(ZigZag(r.PreviousSequence));
            }
            var compressor = _compressor ??= new Compressor(CompressionLevel);
            var bound = Compressor.GetCompressBound(payload.Length);
            var scratch = ArrayPool<byte>.Shared.Rent(bound + 1);
            try
            {
                scratch[0] = BinaryFormat;
                var written = compressor.Wrap(payload.Written, scratch.AsSpan(1));
                return scratch.AsSpan(0, written + 1).ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
        finally
        {
            payload.Dispose();
        }
    }

    public static IReadOnlyList<TestResult> DecodeResults(ReadOnlySpan<byte> stored)
    {
        if (stored.IsEmpty) return [];
        using var decompressor = new Decompressor();
        if (stored[0] == ZstdMagicFirstByte)
            return JsonSerializer.Deserialize(decompressor.Unwrap(stored), RunJsonContext.Default.TestResultArray) ?? [];
        if (stored[0] != BinaryFormat) throw new InvalidDataException($"unknown results format {stored[0]}");

        var reader = new PayloadReader(decompressor.Unwrap(stored[1..]));
        var count = checked((int)reader.ReadVarint());
        var results = new TestResult[count];
        for (var i = 0; i < count; i++)
        {
            var shape = (Shape)reader.ReadByte();
            var className = reader.ReadString();
            var fullTitle = reader.ReadString();
            var title = (shape & Shape.TitleIsFullTitle) != 0 ? fullTitle! : reader.ReadString() ?? "";
            var key = (shape & Shape.KeyIsClassAndFullTitle) != 0 ? className + " " + fullTitle
                : (shape & Shape.KeyIsFullTitle) != 0 ? fullTitle! : reader.ReadString() ?? "";
            var filePath = reader.ReadString();
            var lineCode = reader.ReadVarint();
            int? line = lineCode == 0 ? null : (int)UnZigZag(lineCode - 1);
            var status = (TestStatus)reader.ReadByte();
            var attempts = (int)UnZigZag(reader.ReadVarint());
            var duration = reader.ReadDouble();
            var message = reader.ReadString();
            var errorType = reader.ReadString();
            var stack = reader.ReadString();
            var keyHash = reader.ReadString() ?? "";
            var previous = UnZigZag(reader.ReadVarint());
            results[i] = new TestResult(key, title, fullTitle, className, filePath, line, status, attempts, duration, message, errorType,
                stack, keyHash, previous);
        }
        return results;
    }

    [Flags]
    private enum Shape : byte { None = 0, TitleIsFullTitle = 1, KeyIsClassAndFullTitle = 2, KeyIsFullTitle = 4 }

    private static Shape ShapeOf(TestResult r)
    {
        var shape = Shape.None;
        if (r.FullTitle is not { } full) return shape;
        if (r.Title == full) shape |= Shape.TitleIsFullTitle;
        if (r.Key == full) shape |= Shape.KeyIsFullTitle;
        else if (r.ClassName is { } scope && r.Key.Length == scope.Length + 1 + full.Length && r.Key.StartsWith(scope, StringComparison.Ordinal)
                 && r.Key[scope.Length] == ' ' && r.Key.EndsWith(full, StringComparison.Ordinal))
            shape |= Shape.KeyIsClassAndFullTitle;
        return shape;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>A growable buffer from the shared pool.</summary>
    private struct PayloadWriter(int capacity) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        private int _length;

        public readonly int Length => _length;

        public readonly ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public void WriteByte(byte value)
        {
            Ensure(1);
            _buffer[_length++] = value;
        }

        public void WriteVarint(long value) => WriteVarint((ulong)value);

        public void WriteVarint(ulong value)
        {
            Ensure(10);
            while (value >= 0x80)
            {
                _buffer[_length++] = (byte)(value | 0x80);
                value >>= 7;
            }
            _buffer[_length++] = (byte)value;
        }

        public void WriteDouble(double value)
        {
            Ensure(8);
            BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_length), value);
            _length += 8;
        }

        public void WriteString(string? value)
        {
            if (value is null)
            {
                WriteByte(0);
                return;
            }
            var bytes = Encoding.UTF8.GetByteCount(value);
            WriteVarint((ulong)bytes + 1);
            Ensure(bytes);
            _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        }

        private void Ensure(int more)
        {
            if (_length + more <= _buffer.Length) return;
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private ref struct PayloadReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public byte ReadByte() => _position < _data.Length ? _data[_position++] : throw Truncated();

        public ulong ReadVarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = ReadByte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw new InvalidDataException("malformed varint in results");
        }

        public double ReadDouble()
        {
            if (_position + 8 > _data.Length) throw Truncated();
            var value = BinaryPrimitives.ReadDoubleLittleEndian(_data[_position..]);
            _position += 8;
            return value;
        }

        public string? ReadString()
        {
            var code = ReadVarint();
            if (code == 0) return null;
            var length = checked((int)(code - 1));
            if (_position + length > _data.Length) throw Truncated();
            var value = Encoding.UTF8.GetString(_data.Slice(_position, length));
            _position += length;
            return value;
        }

        private static InvalidDataException Truncated() => new("truncated results record");
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RunSummary))]
[JsonSerializable(typeof(TestResult[]))]
internal sealed partial class RunJsonContext : JsonSerializerContext;
