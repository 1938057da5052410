namespace Seismo.Domain.Collect;

/// <summary>
/// Receives output.txt and the attachments while the archive is read sequentially. Each stream is valid only during
/// the call; reading it is optional (unread bytes are skipped). Exceptions thrown here propagate unchanged and stop
/// the read, so the archive is then not fully validated.
/// The streams read straight from the request body: if a visitor reads synchronously, the body must allow it
/// (an IFormFile stream does; a raw Kestrel request body does not).
/// </summary>
public interface ICollectArchiveVisitor
{
    /// <summary>output.txt, at most <see cref="CollectArchiveLimits.MaxOutputBytes"/> bytes of it (UTF-8 not checked).</summary>
    ValueTask OnOutputAsync(Stream content, CancellationToken cancellationToken);

    ValueTask OnAttachmentAsync(CollectAttachment attachment, CancellationToken cancellationToken);
}

/// <summary>
/// One file under <c>attachment/</c>. <see cref="Name"/> is its path below that folder ("junit.xml", "reports/a.xml");
/// it comes from the client, so use it as a label only, never as a file-system path.
/// </summary>
public sealed class CollectAttachment(string name, string extension, long length, Stream content)
{
    public string Name { get; } = name;

    /// <summary>Lower-case, without the dot: "xml".</summary>
    public string Extension { get; } = extension;

    public long Length { get; } = length;

    public Stream Content { get; } = content;

    /// <summary>True for .xml files, which the caller may hand to the JUnit parser.</summary>
    public bool IsXml => Extension == "xml";
}
