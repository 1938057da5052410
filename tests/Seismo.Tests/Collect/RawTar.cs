using System.Globalization;
using System.Text;

namespace Seismo.Tests.Collect;

/// <summary>Hand-made tar headers for what TarWriter refuses to write: huge sizes, odd types, bad fields.</summary>
internal static class RawTar
{
    public const int Block = 512;

    /// <summary>A ustar header with a correct checksum. <paramref name="size"/> is written in octal.</summary>
    public static byte[] Header(string name, char type, long size, string linkName = "")
    {
        var header = new byte[Block];
        Encoding.UTF8.GetBytes(name).AsSpan(0, Math.Min(100, Encoding.UTF8.GetByteCount(name))).ToArray().CopyTo(header, 0);
        WriteOctal(header, 100, 8, 0b110_100_100);
        WriteOctal(header, 108, 8, 0);
        WriteOctal(header, 116, 8, 0);
        WriteOctal(header, 124, 12, size);
        WriteOctal(header, 136, 12, 1_700_000_000);
        header[156] = (byte)type;
        Encoding.UTF8.GetBytes(linkName).CopyTo(header, 157);
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        FixChecksum(header);
        return header;
    }

    /// <summary>Recomputes the checksum after a header was changed, so TarReader gets past it.</summary>
    public static void FixChecksum(Span<byte> header)
    {
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header[..Block]) sum += b;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header[148..]);
    }

    /// <summary>Header, data padded to a whole block.</summary>
    public static byte[] Entry(string name, char type, byte[] data)
    {
        var padded = new byte[(data.Length + Block - 1) / Block * Block];
        data.CopyTo(padded, 0);
        return [.. Header(name, type, data.Length), .. padded];
    }

    /// <summary>A PAX extended header ('x') whose records set the given attributes for the next entry.</summary>
    public static byte[] Pax(params (string Key, string Value)[] attributes)
    {
        var records = new StringBuilder();
        foreach (var (key, value) in attributes)
        {
            var body = $" {key}={value}\n";
            var length = body.Length + 1;
            while ((length.ToString(CultureInfo.InvariantCulture) + body).Length != length) length++;
            records.Append(length.ToString(CultureInfo.InvariantCulture)).Append(body);
        }
        return Entry("PaxHeaders/x", 'x', Encoding.UTF8.GetBytes(records.ToString()));
    }

    public static byte[] EndMarker => new byte[2 * Block];

    private static void WriteOctal(byte[] header, int offset, int length, long value) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0') + "\0").CopyTo(header, offset);
}
