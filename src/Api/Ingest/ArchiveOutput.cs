using Seismo.Domain.Collect;
using Seismo.Grains;

namespace Seismo.Api.Ingest;

/// <summary>Reads output.txt back out of a stored archive.</summary>
public static class ArchiveOutput
{
    /// <returns>output.txt, or null when the run kept no archive or its archive has none.</returns>
    public static async Task<Stream?> OpenAsync(RunMetadata run, IGrainFactory grains, CancellationToken ct)
    {
        if (run.ArchivePath is { } path)
        {
            if (!File.Exists(path)) return null;
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return await ReadOutputAsync(file, ct);
        }
        if (!run.ArchiveInRunLog || await grains.GetGrain<IRunGrain>(run.RunGuid).GetArchiveAsync() is not { } content) return null;
        return await ReadOutputAsync(new MemoryStream(content, writable: false), ct);
    }

    private static async Task<Stream?> ReadOutputAsync(Stream archive, CancellationToken ct)
    {
        var capture = new OutputCapture();
        await new CollectArchiveReader().ReadAsync(archive, capture, ct);
        return capture.Output;
    }

    private sealed class OutputCapture : ICollectArchiveVisitor
    {
        public MemoryStream? Output { get; private set; }

        public async ValueTask OnOutputAsync(Stream content, CancellationToken cancellationToken)
        {
            Output = new MemoryStream();
            await content.CopyToAsync(Output, cancellationToken);
            Output.Position = 0;
        }

        public ValueTask OnAttachmentAsync(CollectAttachment attachment, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
