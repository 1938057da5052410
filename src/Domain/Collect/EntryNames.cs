namespace Seismo.Domain.Collect;

internal enum EntryRole { Command, Output, Attachment, Ignored }

/// <summary>Normalises tar entry names ("./attachment/a.xml" → "attachment/a.xml") and decides what each one is.</summary>
internal static class EntryNames
{
    public const string CommandJson = "command.json";
    public const string OutputTxt = "output.txt";
    private const string AttachmentFolder = "attachment/";

    /// <summary>Returns the name without "./" and empty segments, or why it is unsafe.</summary>
    public static string Normalise(string raw, out string? unsafeReason)
    {
        unsafeReason = raw switch
        {
            _ when raw.StartsWith('/') => "is an absolute path",
            _ when raw.Contains('\\') => "contains a backslash",
            [var c, ':', ..] when char.IsAsciiLetter(c) => "starts with a drive letter",
            _ => null,
        };
        var segments = raw.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (unsafeReason is null && segments.Contains("..")) unsafeReason = "contains a '..' segment";
        return string.Join('/', segments);
    }

    /// <summary>command.json and output.txt only count at the root; anything below attachment/ is an attachment.</summary>
    public static (EntryRole Role, string Path) Classify(string name)
    {
        if (name == CommandJson) return (EntryRole.Command, name);
        if (name == OutputTxt) return (EntryRole.Output, name);
        if (!name.StartsWith(AttachmentFolder, StringComparison.Ordinal)) return (EntryRole.Ignored, name);

        var fileName = name[(name.LastIndexOf('/') + 1)..];
        // macOS tar adds AppleDouble "._x" files and Finder adds .DS_Store; neither is the user's content.
        if (fileName.StartsWith("._", StringComparison.Ordinal) || fileName == ".DS_Store") return (EntryRole.Ignored, name);
        return (EntryRole.Attachment, name[AttachmentFolder.Length..]);
    }

    /// <summary>Lower-case extension without the dot, or "" when there is none.</summary>
    public static string Extension(string path)
    {
        var fileName = path[(path.LastIndexOf('/') + 1)..];
        var dot = fileName.LastIndexOf('.');
        return dot < 0 ? "" : fileName[(dot + 1)..].ToLowerInvariant();
    }

    public static string ForMessage(string name) => ClientText.Quote(name);
}
