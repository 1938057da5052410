namespace Seismo.Grains;

/// <summary>The event types Seismo publishes. Names are part of the wire contract (SSE <c>event:</c>, webhooks).</summary>
public static class EventTypes
{
    public const string RunCompleted = "run.completed";
    public const string RunFailed = "run.failed";
    public const string TestStatusChanged = "test.status_changed";
    public const string TestQuarantined = "test.quarantined";
    public const string TestUnquarantined = "test.unquarantined";
    public const string UploadProgress = "upload.progress";
    public const string NotificationCreated = "notification.created";

    /// <summary>Schema version of every payload; bumped only by incompatible changes.</summary>
    public const int Version = 1;
}

/// <summary>
/// One event of a project's live feed. <see cref="Sequence"/> counts the project's events from 1, so a client resumes
/// with the last one it saw (after a crash the count skips ahead rather than reuse a number). <see cref="Data"/> is the payload as JSON (camelCase), serialized once
/// by the publisher and passed through unchanged by SSE, SignalR and webhooks.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LiveEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] int Version,
    [property: Id(3)] Guid ProjectId,
    [property: Id(4)] Guid AccountId,
    [property: Id(5)] long Sequence,
    [property: Id(6)] DateTimeOffset Timestamp,
    [property: Id(7)] string Data);
