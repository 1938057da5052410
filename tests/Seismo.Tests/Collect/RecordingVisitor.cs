using System.Text;
using Seismo.Domain.Collect;

namespace Seismo.Tests.Collect;

/// <summary>Keeps what the reader handed over, reading each stream to its end asynchronously.</summary>
internal sealed class RecordingVisitor : ICollectArchiveVisitor
{
    public string? Output { get; private set; }

    public List<(string Name, string Extension, long Length, byte[] Content)> Attachments { get; } = [];

    public async ValueTask OnOutputAsync(Stream content, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content, Encoding.UTF8);
        Output = await reader.ReadToEndAsync(cancellationToken);
    }

    public async ValueTask OnAttachmentAsync(CollectAttachment attachment, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await attachment.Content.CopyToAsync(copy, cancellationToken);
        Attachments.Add((attachment.Name, attachment.Extension, attachment.Length, copy.ToArray()));
    }
}
