using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seismo.Domain.Flakiness;
using Seismo.Domain.Identity;
using Seismo.Grains.Live;
using Seismo.Grains.Hosting;
using Seismo.Grains.Runs;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Projects;

/// <summary>The project's live side: numbering its events and sending them to API nodes, webhooks and the inbox.</summary>
public sealed partial class ProjectGrain
{
    public async Task TestChangedAsync(TestChange change)
    {
        Index(change.Report);
        await EmitAsync(ChangeEvents(change), change.RunId);
    }

    public async Task PublishAsync(string type, string[] payloads)
    {
        if (state.State.Info is null || payloads.Length == 0) return;
        await EmitAsync(payloads.Select(p => (type, p)).ToList(), runId: null);
    }

    public Task<EventReplay> GetEventsAfterAsync(long afterSequence) => Task.FromResult(_feed.After(afterSequence));

    /// <summary>
    /// Numbers the events, keeps them for replay, and sends them on: to the listening API nodes, to the project's
    /// webhooks, and (grouped by run) to the account's notification inbox.
    /// </summary>
    private Task<LiveEvent[]> EmitAsync(IReadOnlyList<(string Type, string Data)> items, string? runId) =>
        EmitAsync(items.Select(i => (i.Type, i.Data, runId)).ToList());

    /// <param name="items">Each event with the run it belongs to, if any: the inbox groups a run's events.</param>
    private async Task<LiveEvent[]> EmitAsync(IReadOnlyList<(string Type, string Data, string? RunId)> items)
    {
        if (items.Count == 0) return [];
        if (_feed.NeedsReservation(items.Count))
        {
            _feed.Reserve(items.Count);
            await state.WriteStateAsync();
        }
        var now = clock.GetUtcNow();
        var events = items.Select(i => _feed.Append(i.Type, state.State.Info!.AccountId, i.Data, now)).ToArray();
        _dirty = true;
        // One-way, from this one activation: each node gets the project's events in order, and none holds up the others.
        foreach (var node in await liveNodes.GetAsync()) _ = node.DeliverAsync(events);
        await QueueWebhooksAsync(events);
        for (var i = 0; i < events.Length; i++)
        {
            if (_notifications.Add(events[i], items[i].RunId) is not { } opened) continue;
            IGrainTimer? timer = null;
            timer = this.RegisterGrainTimer(async ct =>
            {
                timer?.Dispose();
                await NotifyAsync(opened);
            }, new GrainTimerCreationOptions(RunNotifications.Window, Timeout.InfiniteTimeSpan));
        }
        return events;
    }

    private async Task QueueWebhooksAsync(LiveEvent[] events)
    {
        try { await GrainFactory.GetGrain<IWebhookGrain>(this.GetPrimaryKey()).PublishAsync(events); }
        catch (Exception e)
        {
            // The run is stored already: its acceptance stands, and the missing deliveries are logged.
            logger.LogError(e, "Project {Project}: webhook deliveries for events {First}..{Last} could not be queued",
                this.GetPrimaryKey(), events[0].Sequence, events[^1].Sequence);
        }
    }

    private async Task NotifyAsync(string batchKey)
    {
        var batch = _notifications.Close(batchKey);
        if (batch.Length == 0) return;
        var created = await GrainFactory.GetGrain<INotificationInboxGrain>(state.State.Info!.AccountId).RaiseForEventsAsync(batch);
        if (created.Length > 0) await EmitAsync(created.Select(n => (EventTypes.NotificationCreated, EventJson.Of(n))).ToList(), runId: null);
    }

    /// <summary>The run's completed or failed event, grouped in the inbox under the run.</summary>
    private static (string Type, string Data, string? RunId) RunEvent(RunSummary run)
    {
        var c = run.Counts;
        var ran = c.Total - c.Skipped;
        var failing = ran == 0 ? 0 : (double)(c.Failed + c.Errors + c.Flaky) / ran;
        var incident = FlakinessScorer.IsInfrastructureRun(new ScorerInput(ResultKind.Failed, 1, 0, 0, failing, ran), ScorerSettings.Default);
        var m = run.Metadata;
        var data = new RunEventData(m.Id, m.ProjectId, run.Status, c.Total, c.Passed, c.Failed + c.Errors, c.Skipped, c.Flaky, c.PassRate,
            m.DurationMs, m.Ci.Branch, m.Ci.CommitSha, incident);
        return (run.Status == "failed" ? EventTypes.RunFailed : EventTypes.RunCompleted, EventJson.Of(data), m.Id);
    }

    private List<(string, string)> ChangeEvents(TestChange change)
    {
        var projectId = this.GetPrimaryKey();
        var r = change.Report;
        var events = new List<(string, string)>();
        if (change.OldLabel is { } old)
        {
            events.Add((EventTypes.TestStatusChanged, EventJson.Of(new TestStatusEventData(change.TestId, projectId, change.Title, change.FilePath,
                LabelName(old), LabelName(r.Label), change.Reason, Math.Round(r.Score, 4), change.RunId))));
        }
        if (change.Quarantined is { } quarantined)
        {
            var by = change.DecidedBy ?? Tests.TestState.AutomaticDecision;
            events.Add((quarantined ? EventTypes.TestQuarantined : EventTypes.TestUnquarantined, EventJson.Of(new TestQuarantineEventData(
                change.TestId, projectId, change.Title, change.FilePath, quarantined, by == Tests.TestState.AutomaticDecision, by,
                Math.Round(r.Score, 4), change.RunId))));
        }
        return events;
    }

    private static string LabelName(TestLabel label) => label.ToString().ToUpperInvariant();
}
