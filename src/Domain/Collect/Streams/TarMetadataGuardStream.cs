using System.Text;

namespace Seismo.Domain.Collect.Streams;

/// <summary>
/// Sits under TarReader and refuses PAX ('x', 'g') and GNU long-name ('L', 'K') headers that declare more than the
/// metadata limit. TarReader (.NET 10) allocates that declared size before reading it and does not verify header
/// checksums, so a single 512-byte header could make it allocate gigabytes.
/// Tar headers always start on a 512-byte boundary, so every aligned block is checked the way TarReader would parse
/// it; that needs no knowledge of the archive layout, so it cannot fall out of step with TarReader. File data that
/// happens to look like such a header is refused too, which text attachments never do in practice.
/// </summary>
internal sealed class TarMetadataGuardStream(Stream inner, int maxMetadataBytes) : ReadOnlyStream
{
    private const int BlockSize = 512;
    private const int SizeOffset = 124, SizeLength = 12, ChecksumOffset = 148, ChecksumLength = 8, TypeOffset = 156;

    private readonly byte[] _partial = new byte[BlockSize];
    private int _partialLength;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Inspect(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Inspect(buffer.Span[..read]);
        return read;
    }

    // Runs before the bytes reach TarReader, so a refused header is never parsed.
    private void Inspect(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_partialLength == 0 && data.Length >= BlockSize)
            {
                CheckBlock(data[..BlockSize]);
                data = data[BlockSize..];
                continue;
            }
            var take = Math.Min(BlockSize - _partialLength, data.Length);
            data[..take].CopyTo(_partial.AsSpan(_partialLength));
            _partialLength += take;
            data = data[take..];
            if (_partialLength == BlockSize)
            {
                CheckBlock(_partial);
                _partialLength = 0;
            }
        }
    }

    private void CheckBlock(ReadOnlySpan<byte> block)
    {
        if (block[TypeOffset] is not ((byte)'x' or (byte)'g' or (byte)'L' or (byte)'K')) return;
        // TarReader treats an all-NUL or zero checksum as the end marker; anything else it accepts as a header.
        if (ParseOctal(block.Slice(ChecksumOffset, ChecksumLength)) is null or 0) return;
        var sizeField = block.Slice(SizeOffset, SizeLength);
        // 0x80 / 0xFF lead bytes are GNU base-256 numbers, used only for sizes that octal cannot hold.
        var size = sizeField[0] is 0x80 or 0xFF ? long.MaxValue : ParseOctal(sizeField);
        if (size is null || size <= maxMetadataBytes) return; // unparseable: TarReader throws before allocating

        var name = Encoding.UTF8.GetString(block[..100].TrimEnd((byte)0));
        throw new CollectArchiveException(CollectArchiveErrorKind.TooLarge,
            $"Tar metadata header '{EntryNames.ForMessage(name)}' (type '{(char)block[TypeOffset]}') declares " +
            $"{(size == long.MaxValue ? "a huge size" : Sizes.Describe(size.Value))}; at most {Sizes.Describe(maxMetadataBytes)} is allowed.",
            EntryNames.ForMessage(name));
    }

    /// <summary>Same rules as TarReader: cut at the first NUL, trim spaces, then octal digits only.</summary>
    private static long? ParseOctal(ReadOnlySpan<byte> field)
    {
        var nul = field.IndexOf((byte)0);
        if (nul >= 0) field = field[..nul];
        field = field.Trim((byte)' ');
        long value = 0;
        foreach (var b in field)
        {
            var digit = b - '0';
            if (digit is < 0 or > 7) return null;
            if (value > (long.MaxValue - digit) / 8) return null;
            value = value * 8 + digit;
        }
        return value;
    }
}
