using System.Text.Json;
using System.Text.Json.Serialization;

namespace Seismo.Grains.Live;

/// <summary>Event payloads as JSON, camelCase like the rest of Seismo's own API; serialized once, where the event is made.</summary>
public static class EventJson
{
    public static string Of(RunEventData data) => JsonSerializer.Serialize(data, EventJsonContext.Default.RunEventData);
    public static string Of(TestStatusEventData data) => JsonSerializer.Serialize(data, EventJsonContext.Default.TestStatusEventData);
    public static string Of(TestQuarantineEventData data) => JsonSerializer.Serialize(data, EventJsonContext.Default.TestQuarantineEventData);

    /// <summary>A notification exactly as <c>GET /api/notifications</c> lists it (the report server's snake_case shape).</summary>
    public static string Of(Notification n)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", n.Id.ToString());
            json.WriteString("title", n.Title);
            json.WriteString("body", n.Body);
            json.WriteString("category", n.Category.ToString().ToLowerInvariant());
            json.WriteString("severity", n.Severity.ToString().ToLowerInvariant());
            json.WriteBoolean("read", n.Read);
            json.WriteString("created_at", n.CreatedAt.UtcDateTime);
            json.WritePropertyName("payload");
            json.WriteRawValue(n.Payload);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunEventData))]
[JsonSerializable(typeof(TestStatusEventData))]
[JsonSerializable(typeof(TestQuarantineEventData))]
internal sealed partial class EventJsonContext : JsonSerializerContext;
