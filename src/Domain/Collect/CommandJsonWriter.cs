using System.Globalization;
using System.Text.Json;

namespace Seismo.Domain.Collect;

/// <summary>
/// Writes command.json as the collect contract spells it (snake_case, <c>executed</c> as ISO 8601 UTC with
/// milliseconds). What it writes, <see cref="CommandJsonValidator"/> reads back as the same document.
/// </summary>
public static class CommandJsonWriter
{
    public static byte[] ToUtf8(CommandDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("command");
            foreach (var part in document.Command) json.WriteStringValue(part);
            json.WriteEndArray();
            json.WriteString("user", document.User);
            json.WriteNumber("return_code", document.ReturnCode);
            json.WriteNumber("execution_time_ms", document.ExecutionTimeMs);
            if (document.Executed is { } executed)
                json.WriteString("executed", executed.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            if (document.Env.Count > 0)
            {
                json.WriteStartObject("env");
                foreach (var (name, value) in document.Env.OrderBy(e => e.Key, StringComparer.Ordinal)) json.WriteString(name, value);
                json.WriteEndObject();
            }
            if (document.Tags.Count > 0)
            {
                json.WriteStartArray("tags");
                foreach (var tag in document.Tags) json.WriteStringValue(tag);
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
