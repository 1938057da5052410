namespace Seismo.Domain.Reporting;

/// <summary>
/// The artifact types of the upload contract: which formats each accepts and how large a file may be. The format is
/// recognised from the file's first bytes (its magic number); a name's extension must agree with the type too.
/// </summary>
public static class ArtifactFormats
{
    public const long MiB = 1024 * 1024;

    public sealed record Format(string Name, string MimeType, string Extension);

    public sealed record ArtifactType(string Name, long MaxBytes, IReadOnlyList<string> Extensions, IReadOnlyList<string> Formats);

    public static readonly IReadOnlyDictionary<string, ArtifactType> Types = new Dictionary<string, ArtifactType>(StringComparer.Ordinal)
    {
        ["screenshot"] = new("screenshot", 5 * MiB, [".png", ".jpg", ".jpeg", ".webp", ".gif"], ["png", "jpeg", "webp", "gif"]),
        ["video"] = new("video", 100 * MiB, [".webm", ".mp4", ".avi", ".mov"], ["webm", "mp4", "avi", "mov"]),
        ["trace"] = new("trace", 50 * MiB, [".zip"], ["zip"]),
        ["report"] = new("report", 200 * MiB, [".zip"], ["zip"]),
    };

    /// <summary>The largest cap of any type: what an upload is bounded by before its type is known.</summary>
    public static long LargestCap => Types.Values.Max(t => t.MaxBytes);

    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int HeaderLength = 16;

    private static readonly Format Png = new("png", "image/png", ".png");
    private static readonly Format Jpeg = new("jpeg", "image/jpeg", ".jpg");
    private static readonly Format Webp = new("webp", "image/webp", ".webp");
    private static readonly Format Gif = new("gif", "image/gif", ".gif");
    private static readonly Format Webm = new("webm", "video/webm", ".webm");
    private static readonly Format Mp4 = new("mp4", "video/mp4", ".mp4");
    private static readonly Format Mov = new("mov", "video/quicktime", ".mov");
    private static readonly Format Avi = new("avi", "video/x-msvideo", ".avi");
    private static readonly Format Zip = new("zip", "application/zip", ".zip");

    public static readonly IReadOnlyList<Format> All = [Png, Jpeg, Webp, Gif, Webm, Mp4, Mov, Avi, Zip];

    /// <summary>The format the content starts like, or null.</summary>
    public static Format? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return Gif;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8))
        {
            if (head[8..12].SequenceEqual("WEBP"u8)) return Webp;
            if (head[8..12].SequenceEqual("AVI "u8)) return Avi;
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return Webm;
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8)) return head[8..12].SequenceEqual("qt  "u8) ? Mov : Mp4;
        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8)) return Zip;
        return null;
    }

    /// <summary>Why a file may not be stored as <paramref name="type"/>, or null when it may.</summary>
    public static string? Refusal(ArtifactType type, string fileName, Format? sniffed)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension.Length > 0 && !type.Extensions.Contains(extension))
            return $"A {type.Name} must be one of {string.Join(", ", type.Extensions)}; '{fileName}' is not";
        if (sniffed is null || !type.Formats.Contains(sniffed.Name))
            return $"The content of '{fileName}' is not a {string.Join(", ", type.Formats.Select(f => f.ToUpperInvariant()))} file";
        return null;
    }
}
