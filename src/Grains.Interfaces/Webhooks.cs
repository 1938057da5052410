namespace Seismo.Grains;

/// <summary>A webhook as stored. <see cref="Secret"/> signs deliveries and is never returned by the API.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ProjectId,
    [property: Id(2)] Guid AccountId,
    [property: Id(3)] string Url,
    [property: Id(4)] string[] Events,
    [property: Id(5)] Dictionary<string, string> Headers,
    [property: Id(6)] string? Secret,
    [property: Id(7)] bool IsActive,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset UpdatedAt);

/// <summary>A new webhook, already validated by the API.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookSpec(
    [property: Id(0)] Guid AccountId,
    [property: Id(1)] string Url,
    [property: Id(2)] string[] Events,
    [property: Id(3)] Dictionary<string, string> Headers,
    [property: Id(4)] string? Secret,
    [property: Id(5)] bool IsActive);

/// <summary>A change to a webhook: null fields are left as they are; an empty <see cref="Secret"/> removes the secret.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookPatch(
    [property: Id(0)] string? Url,
    [property: Id(1)] string[]? Events,
    [property: Id(2)] Dictionary<string, string>? Headers,
    [property: Id(3)] string? Secret,
    [property: Id(4)] bool? IsActive);

/// <summary>States of a delivery. Only <c>pending</c> is not final.</summary>
public static class DeliveryStates
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    /// <summary>The receiver answered a final error (4xx other than 408/429, a redirect) or every attempt failed.</summary>
    public const string Failed = "failed";
    /// <summary>The target resolved to an address webhooks may not reach (loopback, private, metadata, …).</summary>
    public const string Refused = "refused";
    /// <summary>The webhook was deactivated or deleted before the delivery was made.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>One HTTP attempt of a delivery.</summary>
/// <param name="StatusCode">The receiver's status; null when no response came (network error, timeout, refusal).</param>
[GenerateSerializer, Immutable]
public sealed record WebhookAttemptInfo(
    [property: Id(0)] int Attempt,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] long LatencyMs,
    [property: Id(3)] int? StatusCode,
    [property: Id(4)] string? Error);

/// <summary>One event queued for one webhook, with its attempts.</summary>
[GenerateSerializer, Immutable]
public sealed record WebhookDeliveryInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string EventId,
    [property: Id(2)] string EventType,
    [property: Id(3)] string WebhookEvent,
    [property: Id(4)] long Sequence,
    [property: Id(5)] string State,
    [property: Id(6)] int AttemptCount,
    [property: Id(7)] int? LastStatusCode,
    [property: Id(8)] string? LastError,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset? NextAttemptAt,
    [property: Id(11)] DateTimeOffset? CompletedAt,
    [property: Id(12)] WebhookAttemptInfo[] Attempts);

[GenerateSerializer, Immutable]
public sealed record WebhookDeliveryPage(
    [property: Id(0)] WebhookDeliveryInfo[] Data,
    [property: Id(1)] long Total);
