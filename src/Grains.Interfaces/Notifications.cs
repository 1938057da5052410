namespace Seismo.Grains;

/// <summary>What a notification is about. The wire name is the lower-case member name.</summary>
public enum NotificationCategory : byte { Run, Test, Upload, Report, System }

/// <summary>How a notification should be shown. The wire name is the lower-case member name.</summary>
public enum NotificationSeverity : byte { Info, Success, Warning, Error }

/// <summary>
/// A notification to raise. <see cref="Payload"/> is a JSON object (camelCase), passed through to clients unchanged.
/// </summary>
/// <param name="ProjectId">The project it concerns; null for account-wide (system) notifications, which only account
/// keys see.</param>
/// <param name="Key">Identifies what the notification reports (e.g. a run and the changes in it). A draft whose key the
/// inbox has seen recently is dropped, so raising the same batch again (a replayed run) notifies once. Null: never
/// deduplicated.</param>
[GenerateSerializer, Immutable]
public sealed record NotificationDraft(
    [property: Id(0)] Guid? ProjectId,
    [property: Id(1)] NotificationCategory Category,
    [property: Id(2)] NotificationSeverity Severity,
    [property: Id(3)] string Title,
    [property: Id(4)] string Body,
    [property: Id(5)] string Payload,
    [property: Id(6)] string? Key);

/// <summary>A notification in an account's inbox.</summary>
[GenerateSerializer, Immutable]
public sealed record Notification(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid? ProjectId,
    [property: Id(2)] NotificationCategory Category,
    [property: Id(3)] NotificationSeverity Severity,
    [property: Id(4)] string Title,
    [property: Id(5)] string Body,
    [property: Id(6)] string Payload,
    [property: Id(7)] bool Read,
    [property: Id(8)] DateTimeOffset CreatedAt);
