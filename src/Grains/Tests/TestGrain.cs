using Microsoft.Extensions.Options;
using Seismo.Domain.Flakiness;
using Seismo.Domain.Identity;
using Seismo.Grains.Hosting;
using Seismo.Grains.Runs;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Tests;

/// <summary>
/// One test's live state. Runs are applied in sequence order; one that arrives before its predecessor waits here
/// (in memory: it is in the run log) and, if the predecessor never comes, is fetched from the run log. Writes are
/// behind: a timer persists dirty state, then tells the project which runs are now durable here, so a crash replays
/// only what was not yet written.
/// </summary>
public sealed class TestGrain(
    [PersistentState("test", "Default")] IPersistentState<TestState> state,
    IRunStore runs,
    IOptions<SeismoOptions> options,
    TimeProvider clock) : Grain, ITestGrain
{
    private static readonly TimeSpan FetchMissingAfter = TimeSpan.FromSeconds(30);

    private readonly List<long> _unflushed = [];
    private long _reportedRevision = -1;
    private readonly SortedDictionary<long, TestApplication> _waiting = [];
    private DateTimeOffset _waitingSince;
    private Guid _projectId;
    private string _hash = "";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/');
        _projectId = Guid.ParseExact(key[..slash], "N");
        _hash = key[(slash + 1)..];
        // Spread the flushes of many test grains over the interval instead of writing them all at once.
        var period = options.Value.FlushInterval;
        var due = TimeSpan.FromMilliseconds(Random.Shared.Next(1, (int)Math.Max(2, period.TotalMilliseconds)));
        this.RegisterGrainTimer(ct => TickAsync(ct), new GrainTimerCreationOptions(due, period));
        return Task.CompletedTask;
    }

    // On shutdown the project is going away too; its replay watermark is conservative, so the notice can be skipped.
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        FlushCoreAsync(cancellationToken, notifyProject: reason.ReasonCode != DeactivationReasonCode.ShuttingDown);

    public Task ApplyAsync(TestApplication[] applications)
    {
        foreach (var application in applications) Offer(application);
        return Task.CompletedTask;
    }

    public Task<TestView?> GetAsync()
    {
        var s = state.State;
        if (s.TotalRuns == 0) return Task.FromResult<TestView?>(null);
        var history = Enumerable.Reverse(s.Ring).ToArray();
        var f = s.Flakiness;
        var q = s.Quarantine;
        return Task.FromResult<TestView?>(new TestView(PublicIds.TestId(_projectId, _hash), _projectId, s.Key, s.Title, s.FullTitle,
            s.FilePath, s.Line, s.TotalRuns, s.Passed, s.Failed + s.Errors, s.Skipped, s.Flaky, s.IsQuarantined, history.FirstOrDefault(), history,
            new FlakinessView(s.Score, FlakinessScorer.Confidence(f, ScorerSettings.Default),
                f.Label.ToString().ToUpperInvariant(), f.Reason.ToString(), f.FlakyRuns, s.LastFlakyAt),
            new QuarantineView(q.IsQuarantined, q.Source == QuarantineSource.Automatic, s.QuarantineDecidedBy, s.QuarantineUpdatedAt,
                q.CleanRuns, q.CleanRunsNeeded),
            HistoryScores(s)));
    }

    // Newest first like the history; entries from before scores were kept have none.
    private static double?[] HistoryScores(TestState s) =>
        Enumerable.Range(0, s.Ring.Count).Select(i => i < s.RingScores.Count ? s.RingScores[s.RingScores.Count - 1 - i] : (double?)null).ToArray();

    public async Task<QuarantineDecision?> SetQuarantineAsync(bool quarantined, string decidedBy)
    {
        var s = state.State;
        if (s.TotalRuns == 0) return null;
        var now = clock.GetUtcNow();
        if (s.SetQuarantineByPerson(quarantined, decidedBy, now) != QuarantineChange.None)
            Tell(null, quarantined, decidedBy, run: null, now);
        // A person's decision is durable before it is acknowledged, along with any runs applied so far.
        await FlushCoreAsync(CancellationToken.None, force: true);
        return new QuarantineDecision(s.IsQuarantined, s.QuarantineUpdatedAt ?? now);
    }
    public Task FlushAsync() => FlushCoreAsync(CancellationToken.None);

    public async Task ClearAsync()
    {
        _unflushed.Clear();
        _waiting.Clear();
        await state.ClearStateAsync();
        state.State = new TestState();
        DeactivateOnIdle();
    }

    public async Task<FlakinessReport> ReplaceHistoryAsync(TestApplication[] remaining, long appliedThrough)
    {
        state.State = TestState.Replayed(state.State, remaining, appliedThrough);
        // Runs applied and not yet reported durable are in the replay or deleted: durable either way once written.
        var superseded = _unflushed.ToArray();
        _unflushed.Clear();
        foreach (var sequence in _waiting.Keys.Where(s => s <= state.State.LastApplied).ToList()) _waiting.Remove(sequence);
        await state.WriteStateAsync();
        var report = Report();
        if (superseded.Length > 0) Project.TestsFlushedAsync(_hash, superseded, null).Ignore();
        DrainWaiting();
        return report;
    }

    private IProjectGrain Project => GrainFactory.GetGrain<IProjectGrain>(_projectId);

    private void Offer(TestApplication application)
    {
        var sequence = application.Execution.Sequence;
        var s = state.State;
        var (label, quarantined) = (s.Label, s.IsQuarantined);
        switch (s.Offer(application))
        {
            case ApplyOutcome.Applied:
                _unflushed.Add(sequence);
                if (s.Label != label || s.IsQuarantined != quarantined)
                {
                    Tell(s.Label != label ? label : null, s.IsQuarantined != quarantined ? s.IsQuarantined : null,
                        s.IsQuarantined != quarantined ? TestState.AutomaticDecision : null, application.Execution, application.Execution.CreatedAt);
                }
                DrainWaiting();
                break;
            case ApplyOutcome.WaitingForPrevious:
                if (_waiting.Count == 0) _waitingSince = clock.GetUtcNow();
                _waiting.TryAdd(sequence, application);
                break;
            case ApplyOutcome.Duplicate when _unflushed.Count > 0:
                if (!_unflushed.Contains(sequence)) _unflushed.Add(sequence);
                break;
            case ApplyOutcome.Duplicate:
                // Replayed and already durable here: the project may count it at once.
                Project.TestsFlushedAsync(_hash, [sequence], Report());
                break;
        }
    }

    private void DrainWaiting()
    {
        while (_waiting.Count > 0)
        {
            var (sequence, next) = _waiting.First();
            if (next.Result.PreviousSequence > state.State.LastApplied) return;
            _waiting.Remove(sequence);
            Offer(next);
        }
    }

    private async Task TickAsync(CancellationToken ct)
    {
        if (_waiting.Count > 0 && clock.GetUtcNow() - _waitingSince > FetchMissingAfter) await FetchMissingAsync(ct);
        await FlushCoreAsync(ct);
    }

    // The message with the previous run was lost (a node failed mid fan-out): read that run from the run log.
    private async Task FetchMissingAsync(CancellationToken ct)
    {
        while (_waiting.Count > 0)
        {
            var missing = _waiting.First().Value.Result.PreviousSequence;
            var run = await runs.GetBySequenceAsync(_projectId, missing, ct);
            var index = run is null ? -1 : run.Results.ToList().FindIndex(r => r.KeyHash == _hash);
            if (run is null || index < 0)
            {
                // The predecessor is not in the log (never stored): nothing to wait for.
                var stranded = _waiting.First();
                _waiting.Remove(stranded.Key);
                state.State.LastApplied = Math.Max(state.State.LastApplied, stranded.Value.Result.PreviousSequence);
                Offer(stranded.Value);
                continue;
            }
            Offer(RunDispatcher.Application(run.Summary, run.Results[index], index));
        }
    }

    private async Task FlushCoreAsync(CancellationToken ct, bool notifyProject = true, bool force = false)
    {
        if (_unflushed.Count == 0 && !force) return;
        var flushed = _unflushed.ToArray();
        await state.WriteStateAsync(ct);
        _unflushed.RemoveRange(0, flushed.Length);
        if (!notifyProject) return;
        // The score drifts with every result; the index learns it here, once per flush, rather than per result. It goes
        // with every acknowledgement too: a project grain that lost its silo since may have lost the last one it was sent.
        var report = flushed.Length > 0 || state.State.Revision != _reportedRevision ? Report() : null;
        if (flushed.Length > 0 || report is not null) await Project.TestsFlushedAsync(_hash, flushed, report);
    }

    private FlakinessReport Report()
    {
        var s = state.State;
        _reportedRevision = s.Revision;
        return new FlakinessReport(_hash, s.Revision, s.Score, s.Label, s.Flakiness.FlakyRuns, s.LastFlakyAt, s.IsQuarantined,
            (byte)s.Flakiness.Reason);
    }

    /// <summary>Tells the project at once that the label or the quarantine changed.</summary>
    private void Tell(TestLabel? oldLabel, bool? quarantined, string? decidedBy, TestExecution? run, DateTimeOffset at)
    {
        var s = state.State;
        var reason = quarantined is not null && oldLabel is null
            ? (decidedBy == TestState.AutomaticDecision ? "AutoQuarantine" : "Manual")
            : s.Flakiness.Reason.ToString();
        Project.TestChangedAsync(new TestChange(Report(), PublicIds.TestId(_projectId, _hash), s.Title, s.FilePath, oldLabel, reason,
            quarantined, decidedBy, run?.RunId, run?.Sequence ?? 0, at));
    }
}
