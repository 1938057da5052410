using System.Text.Json;

namespace Seismo.Grains.Notifications;

/// <summary>
/// The inbox's rules over its stored state, as plain code: the newest <see cref="Capacity"/> notifications, unread
/// counters per project kept on every change, project scoping, and dropping drafts whose key was seen recently.
/// A scope of null is the whole account; a project id limits an operation to that project's notifications.
/// </summary>
public sealed class NotificationInbox
{
    public const int Capacity = 1_000;
    public const int RememberedKeys = 2_000;
    public const int MaxTitleLength = 200;
    public const int MaxBodyLength = 4_000;

    private readonly InboxState _state;
    private readonly int _capacity;
    private readonly Dictionary<Guid, StoredNotification> _byId = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    public NotificationInbox(InboxState state, int capacity = Capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _state = state;
        _capacity = capacity;
        foreach (var item in state.Items) _byId[item.Id] = item;
        foreach (var key in state.RecentKeys) _keys.Add(key);
    }

    public int Count => _state.Items.Count;

    /// <summary>Stores the drafts in order (the last is the newest) and returns those created.</summary>
    /// <exception cref="ArgumentException">A draft has an empty title or a payload that is not a JSON object; nothing is stored.</exception>
    public Notification[] Add(IReadOnlyList<NotificationDraft> drafts, DateTimeOffset now)
    {
        foreach (var draft in drafts) Validate(draft);
        var created = new List<StoredNotification>(drafts.Count);
        foreach (var draft in drafts)
        {
            if (draft.Key is { } key && !Remember(key)) continue;
            var item = new StoredNotification
            {
                Id = Guid.CreateVersion7(now),
                ProjectId = draft.ProjectId,
                Category = draft.Category,
                Severity = draft.Severity,
                Title = Clip(draft.Title.Trim(), MaxTitleLength),
                Body = Clip(draft.Body, MaxBodyLength),
                Payload = string.IsNullOrWhiteSpace(draft.Payload) ? "{}" : draft.Payload,
                CreatedAt = now,
            };
            _state.Items.Add(item);
            _byId[item.Id] = item;
            AdjustUnread(item.ProjectId, +1);
            created.Add(item);
        }
        var excess = _state.Items.Count - _capacity;
        if (excess > 0)
        {
            foreach (var dropped in _state.Items.Take(excess))
            {
                _byId.Remove(dropped.Id);
                if (!dropped.Read) AdjustUnread(dropped.ProjectId, -1);
            }
            _state.Items.RemoveRange(0, excess);
        }
        return created.Where(c => _byId.ContainsKey(c.Id)).Select(c => c.ToNotification()).ToArray();
    }

    /// <summary>Newest first; <paramref name="limit"/> 0 means no cap.</summary>
    public Notification[] List(Guid? scope, bool unreadOnly, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var take = limit == 0 ? int.MaxValue : limit;
        var result = new List<Notification>(Math.Min(take, _state.Items.Count));
        if (unreadOnly && CountUnread(scope) == 0) return [];
        for (var i = _state.Items.Count - 1; i >= 0 && result.Count < take; i--)
        {
            var item = _state.Items[i];
            if (InScope(item, scope) && (!unreadOnly || !item.Read)) result.Add(item.ToNotification());
        }
        return [.. result];
    }

    public int CountUnread(Guid? scope) =>
        scope is { } project ? _state.UnreadByProject.GetValueOrDefault(project) : _state.Unread;

    /// <summary>False when no notification with that id is in scope; <paramref name="changed"/> when it was unread.</summary>
    public bool MarkRead(Guid id, Guid? scope, out bool changed)
    {
        changed = false;
        if (!_byId.TryGetValue(id, out var item) || !InScope(item, scope)) return false;
        if (item.Read) return true;
        item.Read = true;
        AdjustUnread(item.ProjectId, -1);
        changed = true;
        return true;
    }

    /// <summary>Marks every notification in scope read; returns how many were unread.</summary>
    public int MarkAllRead(Guid? scope)
    {
        var unread = CountUnread(scope);
        if (unread == 0) return 0;
        foreach (var item in _state.Items)
        {
            if (item.Read || !InScope(item, scope)) continue;
            item.Read = true;
            AdjustUnread(item.ProjectId, -1);
        }
        return unread;
    }

    /// <summary>False when no notification with that id is in scope.</summary>
    public bool Delete(Guid id, Guid? scope)
    {
        if (!_byId.TryGetValue(id, out var item) || !InScope(item, scope)) return false;
        _byId.Remove(id);
        _state.Items.Remove(item);
        if (!item.Read) AdjustUnread(item.ProjectId, -1);
        return true;
    }

    private static bool InScope(StoredNotification item, Guid? scope) => scope is null || item.ProjectId == scope;

    private void AdjustUnread(Guid? project, int delta)
    {
        var key = project ?? Guid.Empty;
        var count = _state.UnreadByProject.GetValueOrDefault(key) + delta;
        if (count > 0) _state.UnreadByProject[key] = count;
        else _state.UnreadByProject.Remove(key);
        _state.Unread += delta;
    }

    // True when the key is new (and now remembered); the oldest keys are forgotten past RememberedKeys.
    private bool Remember(string key)
    {
        if (!_keys.Add(key)) return false;
        _state.RecentKeys.Add(key);
        if (_state.RecentKeys.Count > RememberedKeys)
        {
            var excess = _state.RecentKeys.Count - RememberedKeys;
            foreach (var old in _state.RecentKeys.Take(excess)) _keys.Remove(old);
            _state.RecentKeys.RemoveRange(0, excess);
        }
        return true;
    }

    private static void Validate(NotificationDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (string.IsNullOrWhiteSpace(draft.Title)) throw new ArgumentException("A notification needs a title", nameof(draft));
        ArgumentNullException.ThrowIfNull(draft.Body);
        if (!Enum.IsDefined(draft.Category) || !Enum.IsDefined(draft.Severity))
            throw new ArgumentException("Unknown notification category or severity", nameof(draft));
        if (string.IsNullOrWhiteSpace(draft.Payload)) return;
        try
        {
            using var document = JsonDocument.Parse(draft.Payload);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new ArgumentException("A notification's payload must be a JSON object", nameof(draft));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"A notification's payload is not valid JSON: {e.Message}", nameof(draft), e);
        }
    }

    /// <summary>Cuts text to at most <paramref name="max"/> characters, ending with "…", never inside a surrogate pair.</summary>
    internal static string Clip(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
