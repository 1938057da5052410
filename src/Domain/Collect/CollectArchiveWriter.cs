using System.Formats.Tar;
using ZstdSharp;

namespace Seismo.Domain.Collect;

/// <summary>
/// Writes a collect archive the way <c>tar --zstd -cf a.tar.zst -C dir .</c> does: PAX tar entries named
/// "./command.json", "./output.txt", "./attachment/&lt;name&gt;", compressed with zstd.
/// </summary>
public static class CollectArchiveWriter
{
    public static async Task WriteAsync(Stream destination, ReadOnlyMemory<byte> commandJson, ReadOnlyMemory<byte>? output,
        IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> attachments, int compressionLevel = 3, CancellationToken ct = default)
    {
        await using var zstd = new CompressionStream(destination, compressionLevel, leaveOpen: true);
        await using (var tar = new TarWriter(zstd, TarEntryFormat.Pax, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "./"), ct);
            await WriteFileAsync(tar, "./command.json", commandJson, ct);
            if (output is { } text) await WriteFileAsync(tar, "./output.txt", text, ct);
            var first = true;
            foreach (var (name, content) in attachments)
            {
                if (first) await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "./attachment/"), ct);
                first = false;
                await WriteFileAsync(tar, "./attachment/" + name, content, ct);
            }
        }
    }

    public static async Task<byte[]> ToBytesAsync(ReadOnlyMemory<byte> commandJson, ReadOnlyMemory<byte>? output,
        IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> attachments, int compressionLevel = 3)
    {
        using var buffer = new MemoryStream();
        await WriteAsync(buffer, commandJson, output, attachments, compressionLevel);
        return buffer.ToArray();
    }

    private static async Task WriteFileAsync(TarWriter tar, string name, ReadOnlyMemory<byte> content, CancellationToken ct)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content.ToArray(), writable: false),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };
        await tar.WriteEntryAsync(entry, ct);
    }
}
