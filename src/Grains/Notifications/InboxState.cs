namespace Seismo.Grains.Notifications;

/// <summary>An account's inbox as stored: one grain-state row.</summary>
[GenerateSerializer]
public sealed class InboxState
{
    /// <summary>Oldest first; at most <see cref="NotificationInbox.Capacity"/>.</summary>
    [Id(0)] public List<StoredNotification> Items { get; set; } = [];

    /// <summary>Unread notifications per project; <see cref="Guid.Empty"/> counts the account-wide ones.</summary>
    [Id(1)] public Dictionary<Guid, int> UnreadByProject { get; set; } = [];

    /// <summary>Unread notifications in the whole inbox.</summary>
    [Id(2)] public int Unread { get; set; }

    /// <summary>Keys of recently raised drafts, oldest first, so a batch raised again is not notified twice.</summary>
    [Id(3)] public List<string> RecentKeys { get; set; } = [];
}

[GenerateSerializer]
public sealed class StoredNotification
{
    [Id(0)] public Guid Id { get; set; }
    [Id(1)] public Guid? ProjectId { get; set; }
    [Id(2)] public NotificationCategory Category { get; set; }
    [Id(3)] public NotificationSeverity Severity { get; set; }
    [Id(4)] public string Title { get; set; } = "";
    [Id(5)] public string Body { get; set; } = "";
    [Id(6)] public string Payload { get; set; } = "{}";
    [Id(7)] public bool Read { get; set; }
    [Id(8)] public DateTimeOffset CreatedAt { get; set; }

    public Notification ToNotification() => new(Id, ProjectId, Category, Severity, Title, Body, Payload, Read, CreatedAt);
}
