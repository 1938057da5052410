using System.Text;
using System.Text.Json;

namespace Seismo.Domain.Webhooks;

/// <summary>
/// The JSON body of a webhook delivery, built once when the delivery is queued and sent unchanged on every attempt:
/// <c>{"id","type","event","version","sequence","timestamp","projectId","accountId","data"}</c> where <c>data</c> is the
/// event's payload exactly as the publisher serialized it.
/// </summary>
public static class WebhookPayload
{
    public static string Build(string eventId, string eventType, string webhookEvent, int version, long sequence,
        DateTimeOffset timestamp, Guid projectId, Guid accountId, string data)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", eventId);
            json.WriteString("type", eventType);
            json.WriteString("event", webhookEvent);
            json.WriteNumber("version", version);
            json.WriteNumber("sequence", sequence);
            json.WriteString("timestamp", timestamp.ToUniversalTime());
            json.WriteString("projectId", projectId);
            json.WriteString("accountId", accountId);
            json.WritePropertyName("data");
            if (string.IsNullOrWhiteSpace(data)) json.WriteNullValue();
            else json.WriteRawValue(data, skipInputValidation: false);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
