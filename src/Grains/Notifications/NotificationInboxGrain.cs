using Microsoft.Extensions.Options;
using Seismo.Grains.Hosting;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Notifications;

/// <summary>
/// An account's notification inbox (see <see cref="NotificationInbox"/> for its rules). Raised notifications are
/// written behind within <see cref="SeismoOptions.InboxFlushDelay"/>: a busy account raises one per failed run, and
/// writing the whole bounded inbox for each would cost more than the run itself. They derive from runs that are
/// durable already. What a person does (marking read, deleting) is written before the call returns.
/// </summary>
public sealed class NotificationInboxGrain(
    [PersistentState("notifications", "Default")] IPersistentState<InboxState> state,
    IOptions<SeismoOptions> options,
    TimeProvider clock) : Grain, INotificationInboxGrain
{
    private static readonly NotificationComposer Composer = new();

    private NotificationInbox Inbox { get; set; } = null!;
    private WriteBehind<InboxState> _writes = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Inbox = new NotificationInbox(state.State);
        _writes = new WriteBehind<InboxState>(this, state, options.Value.InboxFlushDelay);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => _writes.PendingAsync();

    public Task<Notification[]> RaiseAsync(NotificationDraft[] drafts)
    {
        if (drafts.Length == 0) return Task.FromResult<Notification[]>([]);
        var created = Inbox.Add(drafts, clock.GetUtcNow());
        if (created.Length > 0) _writes.Soon();
        return Task.FromResult(created);
    }

    public Task<Notification[]> RaiseForEventsAsync(LiveEvent[] events) => RaiseAsync(Composer.Compose(events));

    public Task<Notification[]> ListAsync(Guid? scope, bool unreadOnly, int limit) => Task.FromResult(Inbox.List(scope, unreadOnly, limit));

    public Task<int> CountUnreadAsync(Guid? scope) => Task.FromResult(Inbox.CountUnread(scope));

    public async Task<bool> MarkReadAsync(Guid id, Guid? scope)
    {
        if (!Inbox.MarkRead(id, scope, out var changed)) return false;
        if (changed) await _writes.NowAsync();
        return true;
    }

    public async Task<int> MarkAllReadAsync(Guid? scope)
    {
        var marked = Inbox.MarkAllRead(scope);
        if (marked > 0) await _writes.NowAsync();
        return marked;
    }

    public async Task<bool> DeleteAsync(Guid id, Guid? scope)
    {
        if (!Inbox.Delete(id, scope)) return false;
        await _writes.NowAsync();
        return true;
    }
}
