using Seismo.Domain.Collect;

namespace Seismo.Api.Ingest;

/// <summary>Reads output.txt back out of a stored archive.</summary>
public static class ArchiveOutput
{
    public static async Task<Stream?> OpenAsync(string archivePath, CancellationToken ct)
    {
        if (!File.Exists(archivePath)) return null;
        var capture = new OutputCapture();
        await using var file = new FileStream(archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        await new CollectArchiveReader().ReadAsync(file, capture, ct);
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
