using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Seismo.Domain.Collect;

/// <summary>
/// Parses and checks command.json. Never throws for bad input: every problem is reported, and all missing required
/// fields are named together. Explicit null counts as missing for required fields and as absent for optional ones.
/// Unknown fields are ignored (forward compatibility); duplicate property names are malformed (ambiguous).
/// </summary>
public static class CommandJsonValidator
{
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    public static CommandJsonResult Validate(ReadOnlyMemory<byte> utf8Json)
    {
        var bytes = utf8Json.Span;
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            return Whole("command.json is UTF-16; it must be UTF-8.");
        }
        if (bytes is [0xEF, 0xBB, 0xBF, ..]) utf8Json = utf8Json[3..];
        if (InvalidUtf8Offset(utf8Json.Span) is { } offset)
        {
            return Whole($"command.json is not valid UTF-8 (byte {offset + 1}).");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
            return Whole($"command.json is not valid JSON{where}: {FirstSentences(e.Message)}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Whole($"command.json must be a JSON object, not {Describe(document.RootElement.ValueKind)}.");
            }
            return new CommandFields(document.RootElement).Read();
        }
    }

    private static CommandJsonResult Whole(string message) =>
        CommandJsonResult.Invalid([new CommandJsonProblem("", CommandJsonProblemKind.Malformed, message)]);

    private static int? InvalidUtf8Offset(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes)) return null;
        Span<char> scratch = stackalloc char[256];
        var offset = 0;
        while (true)
        {
            var status = Utf8.ToUtf16(bytes[offset..], scratch, out var read, out _, replaceInvalidSequences: false);
            offset += read;
            if (status != System.Buffers.OperationStatus.DestinationTooSmall) return offset;
        }
    }

    // System.Text.Json appends "Path: … | LineNumber: … | BytePositionInLine: …"; we report the position ourselves.
    private static string FirstSentences(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
