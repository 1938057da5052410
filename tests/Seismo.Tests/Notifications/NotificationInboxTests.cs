using Seismo.Grains;
using Seismo.Grains.Notifications;

namespace Seismo.Tests.Notifications;

public sealed class NotificationInboxTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly Guid B = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 4, 4, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Lists_newest_first_with_limit_and_unread_filter()
    {
        var inbox = new NotificationInbox(new InboxState());
        var created = inbox.Add([Draft("one"), Draft("two"), Draft("three")], Now);
        Assert.Equal(["one", "two", "three"], created.Select(n => n.Title));
        Assert.All(created, n => Assert.False(n.Read));

        Assert.Equal(["three", "two", "one"], inbox.List(null, false, 0).Select(n => n.Title));
        Assert.Equal(["three", "two"], inbox.List(null, false, 2).Select(n => n.Title));
        Assert.True(inbox.MarkRead(created[1].Id, null, out var changed));
        Assert.True(changed);
        Assert.True(inbox.MarkRead(created[1].Id, null, out changed));
        Assert.False(changed);
        Assert.Equal(["three", "one"], inbox.List(null, true, 0).Select(n => n.Title));
        Assert.Equal(2, inbox.CountUnread(null));
    }

    [Fact]
    public void Keeps_the_newest_thousand_and_their_unread_counts()
    {
        var inbox = new NotificationInbox(new InboxState());
        for (var i = 0; i < 1_005; i++) inbox.Add([Draft($"n{i}", project: i % 2 == 0 ? A : B)], Now.AddSeconds(i));

        Assert.Equal(NotificationInbox.Capacity, inbox.Count);
        var all = inbox.List(null, false, 0);
        Assert.Equal("n1004", all[0].Title);
        Assert.Equal("n5", all[^1].Title);
        Assert.Equal(1_000, inbox.CountUnread(null));
        Assert.Equal(500, inbox.CountUnread(A));
        Assert.Equal(500, inbox.CountUnread(B));
    }

    [Fact]
    public void A_batch_larger_than_the_inbox_keeps_and_returns_its_newest()
    {
        var inbox = new NotificationInbox(new InboxState(), capacity: 3);
        var created = inbox.Add([Draft("1"), Draft("2"), Draft("3"), Draft("4"), Draft("5")], Now);
        Assert.Equal(["3", "4", "5"], created.Select(n => n.Title));
        Assert.Equal(3, inbox.CountUnread(null));
    }

    [Fact]
    public void A_project_scope_sees_and_changes_only_its_project()
    {
        var inbox = new NotificationInbox(new InboxState());
        var created = inbox.Add([Draft("a", project: A), Draft("b", project: B), Draft("account-wide", project: null)], Now);
        var (a, b, wide) = (created[0], created[1], created[2]);

        Assert.Equal(["a"], inbox.List(A, false, 0).Select(n => n.Title));
        Assert.Equal(1, inbox.CountUnread(A));
        Assert.Equal(3, inbox.CountUnread(null));
        Assert.False(inbox.MarkRead(b.Id, A, out _));
        Assert.False(inbox.MarkRead(wide.Id, A, out _));
        Assert.False(inbox.Delete(b.Id, A));
        Assert.False(inbox.Delete(wide.Id, A));
        Assert.Equal(1, inbox.MarkAllRead(A));
        Assert.Equal(0, inbox.CountUnread(A));
        Assert.Equal(1, inbox.CountUnread(B));
        Assert.Equal(2, inbox.CountUnread(null));
        Assert.True(inbox.Delete(a.Id, A));
        Assert.Empty(inbox.List(A, false, 0));
        Assert.Equal(2, inbox.MarkAllRead(null));
        Assert.Equal(0, inbox.MarkAllRead(null));
        Assert.Equal(2, inbox.List(null, false, 0).Length);
    }

    [Fact]
    public void A_keyed_draft_is_raised_once_and_unkeyed_ones_every_time()
    {
        var state = new InboxState();
        var inbox = new NotificationInbox(state);
        Assert.Single(inbox.Add([Draft("x", key: "run/1")], Now));
        Assert.Empty(inbox.Add([Draft("x again", key: "run/1")], Now));
        Assert.Single(inbox.Add([Draft("dup in batch", key: "run/2"), Draft("dup in batch", key: "run/2")], Now));
        Assert.Equal(2, inbox.Add([Draft("n"), Draft("n")], Now).Length);

        // The keys are part of the state: a reloaded inbox still knows them, even for deleted notifications.
        var first = inbox.List(null, false, 0).Single(n => n.Title == "x");
        Assert.True(inbox.Delete(first.Id, null));
        Assert.Empty(new NotificationInbox(state).Add([Draft("x", key: "run/1")], Now));
    }

    [Fact]
    public void Only_the_most_recent_keys_are_remembered()
    {
        var inbox = new NotificationInbox(new InboxState(), capacity: 10);
        for (var i = 0; i <= NotificationInbox.RememberedKeys; i++) inbox.Add([Draft("k", key: $"k{i}")], Now);
        Assert.Single(inbox.Add([Draft("k", key: "k0")], Now));
        Assert.Empty(inbox.Add([Draft("k", key: $"k{NotificationInbox.RememberedKeys}")], Now));
    }

    [Fact]
    public void Invalid_drafts_are_refused_and_nothing_is_stored()
    {
        var inbox = new NotificationInbox(new InboxState());
        Assert.Throws<ArgumentException>(() => inbox.Add([Draft("ok"), Draft("bad", payload: "[1]")], Now));
        Assert.Throws<ArgumentException>(() => inbox.Add([Draft("bad", payload: "{")], Now));
        Assert.Throws<ArgumentException>(() => inbox.Add([Draft(" ")], Now));
        Assert.Throws<ArgumentException>(() => inbox.Add([Draft("x") with { Severity = (NotificationSeverity)9 }], Now));
        Assert.Equal(0, inbox.Count);
        Assert.Equal("{}", inbox.Add([Draft("empty payload", payload: "")], Now)[0].Payload);
    }

    [Fact]
    public void Long_titles_and_bodies_are_clipped()
    {
        var inbox = new NotificationInbox(new InboxState());
        var n = inbox.Add([Draft(new string('t', 500)) with { Body = new string('b', 10_000) }], Now)[0];
        Assert.Equal(NotificationInbox.MaxTitleLength, n.Title.Length);
        Assert.EndsWith("…", n.Title);
        Assert.Equal(NotificationInbox.MaxBodyLength, n.Body.Length);
        Assert.Equal("ab…", NotificationInbox.Clip("ab\U0001F600cd", 4)); // never half a surrogate pair
    }

    [Fact]
    public void Counters_always_agree_with_a_scan()
    {
        var random = new Random(20260404);
        var state = new InboxState();
        var inbox = new NotificationInbox(state, capacity: 50);
        Guid?[] scopes = [null, A, B];
        for (var step = 0; step < 5_000; step++)
        {
            var scope = scopes[random.Next(scopes.Length)];
            var existing = inbox.List(null, false, 0);
            var target = existing.Length > 0 ? existing[random.Next(existing.Length)].Id : Guid.NewGuid();
            switch (random.Next(10))
            {
                case < 5: inbox.Add([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => Draft("r", project: scopes[random.Next(3)]))], Now); break;
                case < 7: inbox.MarkRead(target, scope, out _); break;
                case 7: inbox.Delete(target, scope); break;
                case 8: if (random.Next(10) == 0) inbox.MarkAllRead(scope); break;
                default: break;
            }
            Assert.Equal(state.Items.Count(i => !i.Read), inbox.CountUnread(null));
            foreach (var project in new[] { A, B })
                Assert.Equal(state.Items.Count(i => !i.Read && i.ProjectId == project), inbox.CountUnread(project));
            Assert.Equal(state.Items.Count(i => !i.Read && i.ProjectId is null), state.UnreadByProject.GetValueOrDefault(Guid.Empty));
        }
    }

    private static NotificationDraft Draft(string title, Guid? project = null, string? key = null, string payload = "{\"n\":1}") =>
        new(project, NotificationCategory.System, NotificationSeverity.Info, title, "body", payload, key);
}
