using System.Formats.Tar;
using Seismo.Domain.Collect.Streams;

namespace Seismo.Domain.Collect;

/// <summary>
/// Reads a <c>POST /collect</c> archive (zstd-compressed tar) sequentially, in one pass and without buffering it:
/// output.txt and attachments go to an <see cref="ICollectArchiveVisitor"/> as they are met, command.json is
/// returned. The whole archive is validated before <see cref="ReadAsync"/> returns, so the caller should commit
/// what the visitor collected only after it returned successfully. Every refusal is a <see cref="CollectArchiveException"/>.
/// </summary>
public sealed class CollectArchiveReader(CollectArchiveLimits? limits = null)
{
    private readonly CollectArchiveLimits _limits = limits ?? CollectArchiveLimits.Default;

    public async Task<CollectArchive> ReadAsync(
        Stream body, ICollectArchiveVisitor? visitor = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var compressed = await ZstdSignature.RequireAsync(body, cancellationToken).ConfigureAwait(false);
        await using var decompressed = new BoundedDecompressionStream(compressed, _limits);
        var guarded = new TarMetadataGuardStream(decompressed, _limits.MaxTarMetadataBytes);
        var contents = new ArchiveContents(_limits, visitor);

        var tar = new TarReader(guarded, leaveOpen: true);
        await using (tar.ConfigureAwait(false))
        {
            while (await NextEntryAsync(tar, contents.LastEntryName, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                await contents.AcceptAsync(entry, cancellationToken).ConfigureAwait(false);
            }
        }
        await decompressed.DrainAsync(cancellationToken).ConfigureAwait(false);
        return contents.Finish(decompressed.BytesRead);
    }

    private static async ValueTask<TarEntry?> NextEntryAsync(TarReader tar, string? previous, CancellationToken cancellationToken)
    {
        try
        {
            return await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsTarFormatError(e))
        {
            var where = previous is null ? "at the start" : $"after entry '{previous}'";
            throw new CollectArchiveException(CollectArchiveErrorKind.InvalidArchive,
                $"The tar data is invalid {where}: {e.Message}", previous, e);
        }
    }

    // What TarReader throws for hostile headers (bad numbers, dates out of range, sparse files, truncation).
    // Our own CollectArchiveException and cancellation are none of these, so they pass through.
    private static bool IsTarFormatError(Exception e) =>
        e is InvalidDataException or EndOfStreamException or FormatException or OverflowException
            or ArgumentException or NotSupportedException or InvalidOperationException;
}
