using System.Buffers.Binary;
using Seismo.Domain.Collect.Streams;

namespace Seismo.Domain.Collect;

/// <summary>
/// Checks the first four bytes before any decoding, so a wrong format gets 415 rather than a decoder error.
/// Skippable frames (0x184D2A50–0x184D2A5F) are accepted: RFC 8878 allows a zstd stream to start with one,
/// and both the zstd CLI and the decoder skip them.
/// </summary>
internal static class ZstdSignature
{
    private const uint FrameMagic = 0xFD2FB528;
    private const uint SkippableMagicMask = 0xFFFFFFF0, SkippableMagic = 0x184D2A50;

    public static async Task<Stream> RequireAsync(Stream body, CancellationToken cancellationToken)
    {
        var head = new byte[4];
        var read = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(head);
        if (read < head.Length || (magic != FrameMagic && (magic & SkippableMagicMask) != SkippableMagic))
        {
            throw new CollectArchiveException(CollectArchiveErrorKind.NotZstd,
                $"The archive is not zstd-compressed{Hint(head.AsSpan(0, read))}; create it with 'tar --zstd -cf archive.tar.zst -C dir .'.");
        }
        return new PrefixedStream(head, body);
    }

    private static string Hint(ReadOnlySpan<byte> head) => head switch
    {
        [0x1F, 0x8B, ..] => " (it looks like gzip)",
        [0xFD, (byte)'7', (byte)'z', (byte)'X'] => " (it looks like xz)",
        [(byte)'B', (byte)'Z', (byte)'h', ..] => " (it looks like bzip2)",
        [(byte)'P', (byte)'K', 3, 4] => " (it looks like zip)",
        [] => " (it is empty)",
        _ => "",
    };
}
