using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>
/// An account's notification inbox (keyed by the account id): the newest 1,000 notifications, durable, with unread
/// counts per project kept on write. Every method takes a scope: null for the whole account (an account key), or a
/// project id, which limits the call to that project's notifications (a project key); a notification outside the
/// scope is treated as if it did not exist.
/// </summary>
public interface INotificationInboxGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Stores the drafts (in order, so the last is the newest) and returns the notifications created, for the caller
    /// to publish as <c>notification.created</c>. Drafts whose <see cref="NotificationDraft.Key"/> was seen recently
    /// are skipped and not returned. They are written behind, within a second by default.
    /// </summary>
    /// <exception cref="ArgumentException">A draft has an empty title or a payload that is not a JSON object.</exception>
    Task<Notification[]> RaiseAsync(NotificationDraft[] drafts);

    /// <summary>
    /// Composes the notifications of a batch of live events (normally the events of one run; see
    /// <c>NotificationComposer</c>) and raises them as <see cref="RaiseAsync"/> does.
    /// </summary>
    Task<Notification[]> RaiseForEventsAsync(LiveEvent[] events);

    /// <summary>Newest first; <paramref name="limit"/> 0 means no cap.</summary>
    [AlwaysInterleave]
    Task<Notification[]> ListAsync(Guid? scope, bool unreadOnly, int limit);

    /// <summary>Answered from counters kept on write.</summary>
    [AlwaysInterleave]
    Task<int> CountUnreadAsync(Guid? scope);

    /// <summary>False when no notification with that id is in scope.</summary>
    Task<bool> MarkReadAsync(Guid id, Guid? scope);

    /// <summary>Marks every notification in scope read; returns how many were unread.</summary>
    Task<int> MarkAllReadAsync(Guid? scope);

    /// <summary>False when no notification with that id is in scope.</summary>
    Task<bool> DeleteAsync(Guid id, Guid? scope);
}
