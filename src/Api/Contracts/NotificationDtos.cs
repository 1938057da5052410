using System.Text.Json;
using System.Text.Json.Serialization;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Contracts;

// Wire shapes of the report server's notification routes: snake_case, as its contract spells them.

/// <summary>One notification; <see cref="Payload"/> is the JSON object stored with it, passed through.</summary>
[WireCasing(Casing.SnakeCase)]
public sealed record NotificationDto(
    string Id, string Title, string Body, string Category, string Severity, bool Read, DateTime CreatedAt, JsonElement Payload)
{
    public static NotificationDto From(Notification n)
    {
        using var payload = JsonDocument.Parse(n.Payload);
        return new(n.Id.ToString(), n.Title, n.Body, n.Category.ToString().ToLowerInvariant(), n.Severity.ToString().ToLowerInvariant(),
            n.Read, n.CreatedAt.UtcDateTime, payload.RootElement.Clone());
    }
}

[WireCasing(Casing.SnakeCase)]
public sealed record UnreadCountDto(int Count);

[JsonSerializable(typeof(NotificationDto[]))]
[JsonSerializable(typeof(UnreadCountDto))]
public sealed partial class NotificationJsonContext : JsonSerializerContext;
