using System.Text.Json.Serialization;
using Seismo.Api.Infrastructure;

namespace Seismo.Api.Contracts;

// Webhook shapes of the Euriqa contract (camelCase); the secret is never part of any of them.

/// <summary>A webhook in a list: <c>GET /api/webhooks</c>.</summary>
[WireCasing(Casing.CamelCase)]
public sealed record WebhookDto(
    string Id, Guid ProjectId, string Url, IReadOnlyList<string> Events, IReadOnlyDictionary<string, string> Headers, bool IsActive,
    DateTimeOffset CreatedAt);

/// <summary>The answer to <c>POST /api/webhooks</c>.</summary>
[WireCasing(Casing.CamelCase)]
public sealed record CreatedWebhookDto(string Id, Guid ProjectId, string Url, IReadOnlyList<string> Events, bool IsActive, DateTimeOffset CreatedAt);

/// <summary>The answer to <c>PATCH /api/webhooks/{id}</c>.</summary>
[WireCasing(Casing.CamelCase)]
public sealed record UpdatedWebhookDto(string Id, string Url, IReadOnlyList<string> Events, bool IsActive, DateTimeOffset UpdatedAt);

/// <summary>The answer to <c>DELETE /api/webhooks/{id}</c>.</summary>
[WireCasing(Casing.CamelCase)]
public sealed record DeletedDto(bool Success, string Message);

/// <summary>One HTTP attempt of a delivery. <c>statusCode</c> is null when no response came; <c>error</c> then says why.</summary>
[WireCasing(Casing.CamelCase)]
public sealed record WebhookAttemptDto(int Attempt, DateTimeOffset StartedAt, long LatencyMs, int? StatusCode, string? Error);

/// <summary>
/// One event queued for one webhook (Seismo's own shape). <c>state</c>: <c>pending</c> (queued or waiting to retry at
/// <c>nextAttemptAt</c>), <c>delivered</c> (a 2xx), <c>failed</c> (a final 4xx or redirect, or every attempt failed),
/// <c>refused</c> (the target resolved to a non-public address), <c>cancelled</c> (the webhook was deactivated).
/// </summary>
[WireCasing(Casing.CamelCase)]
public sealed record WebhookDeliveryDto(
    string Id, string WebhookId, string EventId, string EventType, string Event, long Sequence, string State, int AttemptCount,
    int? LastStatusCode, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<WebhookAttemptDto> Attempts);

[JsonSerializable(typeof(DataList<WebhookDto>))]
[JsonSerializable(typeof(CreatedWebhookDto))]
[JsonSerializable(typeof(UpdatedWebhookDto))]
[JsonSerializable(typeof(DeletedDto))]
[JsonSerializable(typeof(PagedList<WebhookDeliveryDto>))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
