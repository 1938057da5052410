using System.Formats.Tar;
using Seismo.Domain.Collect.Streams;

namespace Seismo.Domain.Collect;

/// <summary>Checks each tar entry as it arrives, hands its data on, and remembers what the archive held.</summary>
internal sealed class ArchiveContents(CollectArchiveLimits limits, ICollectArchiveVisitor? visitor)
{
    // Only command.json, output.txt and attachments: ignored files need no duplicate check, and fewer names are kept.
    private readonly HashSet<string> _seenFiles = new(StringComparer.Ordinal);
    private readonly List<CollectAttachmentInfo> _attachments = [];
    private readonly List<string> _ignoredNames = [];
    private int _ignoredCount, _entryCount;
    private long _attachmentBytes;
    private byte[]? _commandJson;
    private CollectOutputInfo? _output;

    public string? LastEntryName { get; private set; }

    public async ValueTask AcceptAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var shownName = EntryNames.ForMessage(entry.Name);
        if (++_entryCount > limits.MaxEntries)
        {
            throw Refuse(CollectArchiveErrorKind.TooManyEntries, shownName, $"The archive has more than {limits.MaxEntries} entries.");
        }
        // A global PAX header only carries metadata; its name ("/tmp/GlobalHead.…", "pax_global_header") is never a path.
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes) return;
        if (entry.Name.Length > limits.MaxEntryNameLength)
        {
            throw Refuse(CollectArchiveErrorKind.InvalidArchive, shownName,
                $"Entry '{shownName}' has a name longer than {limits.MaxEntryNameLength} characters.");
        }
        var name = EntryNames.Normalise(entry.Name, out var unsafeReason);
        if (unsafeReason is not null)
        {
            throw Refuse(CollectArchiveErrorKind.UnsafeEntry, shownName, $"Entry '{shownName}' {unsafeReason}.");
        }
        if (UnsafeType(entry.EntryType) is { } what)
        {
            throw Refuse(CollectArchiveErrorKind.UnsafeEntry, shownName, $"Entry '{shownName}' is {what}; only files and directories are accepted.");
        }
        LastEntryName = EntryNames.ForMessage(name);
        if (entry.EntryType is TarEntryType.Directory) return;
        if (name.Length == 0)
        {
            throw Refuse(CollectArchiveErrorKind.InvalidArchive, shownName, "The archive contains a file entry without a name.");
        }

        var (role, path) = EntryNames.Classify(name);
        if (role != EntryRole.Ignored && !_seenFiles.Add(name))
        {
            throw Refuse(CollectArchiveErrorKind.InvalidArchive, LastEntryName, $"Entry '{LastEntryName}' appears more than once.");
        }
        switch (role)
        {
            case EntryRole.Command: _commandJson = await ReadCommandAsync(entry, cancellationToken).ConfigureAwait(false); break;
            case EntryRole.Output: await ReadOutputAsync(entry, cancellationToken).ConfigureAwait(false); break;
            case EntryRole.Attachment: await ReadAttachmentAsync(entry, path, cancellationToken).ConfigureAwait(false); break;
            default: Ignore(LastEntryName); break;
        }
    }

    public CollectArchive Finish(long decompressedBytes)
    {
        if (_commandJson is null)
        {
            throw new CollectArchiveException(CollectArchiveErrorKind.MissingCommand,
                "The archive has no command.json at its root (expected 'command.json' or './command.json').");
        }
        return new CollectArchive(_commandJson, _output, _attachments, new IgnoredEntries(_ignoredCount, _ignoredNames),
            decompressedBytes, _entryCount);
    }

    private async Task<byte[]> ReadCommandAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Length > limits.MaxCommandJsonBytes)
        {
            throw Refuse(CollectArchiveErrorKind.TooLarge, EntryNames.CommandJson,
                $"command.json is {Sizes.Describe(entry.Length)}; at most {Sizes.Describe(limits.MaxCommandJsonBytes)} is allowed.");
        }
        var bytes = new byte[entry.Length];
        await Content(entry, EntryNames.CommandJson, entry.Length).ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    private async Task ReadOutputAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        var visible = Math.Min(entry.Length, limits.MaxOutputBytes);
        _output = new CollectOutputInfo(entry.Length, Truncated: visible < entry.Length);
        if (visitor is not null)
        {
            await visitor.OnOutputAsync(Content(entry, EntryNames.OutputTxt, visible), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadAttachmentAsync(TarEntry entry, string path, CancellationToken cancellationToken)
    {
        var extension = EntryNames.Extension(path);
        var shown = "attachment/" + EntryNames.ForMessage(path);
        if (!limits.AllowedAttachmentExtensions.Contains(extension))
        {
            var allowed = string.Join(", ", limits.AllowedAttachmentExtensions.Order(StringComparer.Ordinal));
            throw Refuse(CollectArchiveErrorKind.AttachmentRejected, shown,
                $"Attachment '{shown}' has a file type that is not accepted; allowed: {allowed}.");
        }
        if (entry.Length > limits.MaxAttachmentBytes)
        {
            throw Refuse(CollectArchiveErrorKind.AttachmentRejected, shown,
                $"Attachment '{shown}' is {Sizes.Describe(entry.Length)}; at most {Sizes.Describe(limits.MaxAttachmentBytes)} per file is allowed.");
        }
        _attachmentBytes += entry.Length;
        if (_attachmentBytes > limits.MaxAttachmentsTotalBytes)
        {
            throw Refuse(CollectArchiveErrorKind.AttachmentRejected, shown,
                $"Attachments exceed {Sizes.Describe(limits.MaxAttachmentsTotalBytes)} in total at '{shown}'.");
        }
        _attachments.Add(new CollectAttachmentInfo(path, extension, entry.Length));
        if (visitor is not null)
        {
            var attachment = new CollectAttachment(path, extension, entry.Length, Content(entry, shown, entry.Length));
            await visitor.OnAttachmentAsync(attachment, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Ignore(string name)
    {
        _ignoredCount++;
        if (_ignoredNames.Count < IgnoredEntries.MaxNamesKept) _ignoredNames.Add(name);
    }

    private static EntryContentStream Content(TarEntry entry, string shownName, long visibleLength) =>
        new(entry.DataStream, shownName, entry.Length, visibleLength);

    private static string? UnsafeType(TarEntryType type) => type switch
    {
        TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile
            or TarEntryType.Directory => null,
        TarEntryType.SymbolicLink => "a symbolic link",
        TarEntryType.HardLink => "a hard link",
        TarEntryType.CharacterDevice => "a character device",
        TarEntryType.BlockDevice => "a block device",
        TarEntryType.Fifo => "a fifo",
        _ => $"of unsupported type '{EntryNames.ForMessage(((char)type).ToString())}'",
    };

    private static CollectArchiveException Refuse(CollectArchiveErrorKind kind, string entryName, string message) =>
        new(kind, message, entryName);
}
