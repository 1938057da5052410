namespace Seismo.Domain.Collect;

/// <summary>A fully read and validated archive. command.json is returned raw; validate it with <see cref="CommandJsonValidator"/>.</summary>
public sealed record CollectArchive(
    byte[] CommandJson,
    CollectOutputInfo? Output,
    IReadOnlyList<CollectAttachmentInfo> Attachments,
    IgnoredEntries Ignored,
    long DecompressedBytes,
    int EntryCount);

/// <summary>output.txt as it was in the archive; <see cref="Truncated"/> when the visitor saw only the first bytes.</summary>
public sealed record CollectOutputInfo(long Length, bool Truncated);

public sealed record CollectAttachmentInfo(string Name, string Extension, long Length);

/// <summary>
/// Files the contract does not define (anything but command.json, output.txt and attachment/…), and macOS
/// metadata files (._name, .DS_Store). They are skipped rather than rejected so helpers can add files later;
/// only the first <see cref="MaxNamesKept"/> names are kept.
/// </summary>
public sealed record IgnoredEntries(int Count, IReadOnlyList<string> FirstNames)
{
    public const int MaxNamesKept = 20;
}
