using System.Text;
using System.Text.Json;
using Seismo.Grains;

namespace Seismo.Api.Live;

/// <summary>The envelope SSE clients and webhooks receive: the event's identity around its payload, which passes through unchanged.</summary>
public static class LiveJson
{
    public static string Envelope(LiveEvent e)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", e.Id);
            json.WriteString("type", e.Type);
            json.WriteNumber("version", e.Version);
            json.WriteNumber("sequence", e.Sequence);
            json.WriteString("projectId", e.ProjectId);
            json.WriteString("timestamp", e.Timestamp);
            json.WritePropertyName("data");
            json.WriteRawValue(e.Data, skipInputValidation: true);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string Truncated(long requestedAfter, EventReplay replay) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["requestedAfter"] = requestedAfter,
        ["oldestAvailable"] = replay.Events.Length > 0 ? replay.Events[0].Sequence : null,
        ["lastSequence"] = replay.LastSequence,
    });
}
