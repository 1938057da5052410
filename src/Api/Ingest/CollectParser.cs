using Seismo.Domain;
using Seismo.Domain.Collect;
using Seismo.Domain.Junit;

namespace Seismo.Api.Ingest;

/// <summary>What a collect archive holds once read: the validated command, the folded results, or why not.</summary>
public sealed record ParsedObservation(
    CommandJsonResult Command,
    Grains.TestResult[] Results,
    string? ProcessingError,
    int ReportsParsed,
    IReadOnlyList<string> SkippedAttachments);

/// <summary>
/// Reads a stored collect archive in one pass: the archive reader validates structure and limits, and every XML
/// attachment is parsed as JUnit as it streams by. A malformed report does not reject the archive (the contract
/// has no status for it); it fails the observation with the reason and applies none of its results.
/// </summary>
public sealed class CollectParser(CollectArchiveLimits limits)
{
    /// <exception cref="CollectArchiveException">The archive itself is refused (415 or 400).</exception>
    public async Task<ParsedObservation> ParseAsync(Stream archive, CancellationToken ct)
    {
        var visitor = new JunitAttachmentVisitor();
        var contents = await new CollectArchiveReader(limits).ReadAsync(archive, visitor, ct);
        var command = CommandJsonValidator.Validate(contents.CommandJson);
        return new ParsedObservation(command, visitor.Error is null ? [.. visitor.Folder.Results] : [], visitor.Error,
            visitor.ReportsParsed, visitor.Skipped);
    }

    private sealed class JunitAttachmentVisitor : ICollectArchiveVisitor
    {
        public ResultFolder Folder { get; } = new();
        public string? Error { get; private set; }
        public int ReportsParsed { get; private set; }
        public List<string> Skipped { get; } = [];

        // output.txt stays in the stored archive; it is served from there.
        public ValueTask OnOutputAsync(Stream content, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnAttachmentAsync(CollectAttachment attachment, CancellationToken cancellationToken)
        {
            if (!attachment.IsXml || Error is not null) return ValueTask.CompletedTask;
            var name = "attachment/" + attachment.Name;
            try
            {
                // The whole file is read before any of it is kept: a report is applied entirely or not at all.
                var cases = JunitParser.Read(attachment.Content, name).ToList();
                foreach (var c in cases) Folder.AddJunit(c);
                ReportsParsed++;
            }
            catch (ReportFormatException e) when (e.IsOtherFormat)
            {
                Skipped.Add(name);
            }
            catch (ReportFormatException e)
            {
                Error = e.Message;
            }
            return ValueTask.CompletedTask;
        }
    }
}
