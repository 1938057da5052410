using System.Text.Json;
using System.Text.Json.Serialization;

namespace Seismo.Grains.Live;

/// <summary>Event payloads as JSON, camelCase like the rest of Seismo's own API; serialized once, where the event is made.</summary>
public static class EventJson
{
    public static string Of(RunEventData data) => JsonSerializer.Serialize(data, EventJsonContext.Default.RunEventData);
    public static string Of(TestStatusEventData data) => JsonSerializer.Serialize(data, EventJsonContext.Default.TestStatusEventData);
    public static string Of(TestQuarantineEventData data) => JsonSerializer.Serialize(data, EventJsonContext.Default.TestQuarantineEventData);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunEventData))]
[JsonSerializable(typeof(TestStatusEventData))]
[JsonSerializable(typeof(TestQuarantineEventData))]
internal sealed partial class EventJsonContext : JsonSerializerContext;
