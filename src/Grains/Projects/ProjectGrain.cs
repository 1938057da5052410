using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seismo.Domain.Flakiness;
using Seismo.Domain.Identity;
using Seismo.Grains.Live;
using Seismo.Grains.Hosting;
using Seismo.Grains.Runs;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Projects;

/// <summary>
/// Sequences a project's runs, stores them durably (one transaction per batch of runs), keeps run counters and the test
/// catalogue on write, and tracks which runs are durable in the test grains so a crash replays only the rest.
/// </summary>
public sealed partial class ProjectGrain(
    [PersistentState("project", "Default")] IPersistentState<ProjectState> state,
    IRunStore store,
    ArchiveStore archives,
    IOptions<SeismoOptions> options,
    TimeProvider clock,
    LiveNodeCache liveNodes,
    ILogger<ProjectGrain> logger) : Grain, IProjectGrain
{
    private static readonly TimeSpan StaleDispatch = TimeSpan.FromSeconds(30);
    private const int ReplayBatch = 32;

    private readonly PendingRuns _pending = new();
    private readonly Dictionary<string, CatalogEntry> _catalog = [];
    private readonly FlakinessIndex _index = new();
    private readonly RunNotifications _notifications = new();
    private LiveFeed _feed = null!;
    private long _lastSequence;
    private bool _dirty;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _feed = new LiveFeed(state.State, options.Value.LiveReplayCapacity);
        if (state.State.Info is null) return;
        foreach (var entry in await store.ReadCatalogAsync(this.GetPrimaryKey(), cancellationToken)) _catalog[entry.KeyHash] = entry;
        _lastSequence = await store.LastSequenceAsync(this.GetPrimaryKey(), cancellationToken);
        var replay = new List<StoredRun>();
        await foreach (var run in store.ReadAfterAsync(this.GetPrimaryKey(), state.State.DurableThrough, cancellationToken))
        {
            state.State.Fold(run.Summary, run.Results);
            _pending.AddReplayed(run.Summary.Sequence, run.Results.Count, clock.GetUtcNow());
            replay.Add(run);
        }
        foreach (var (hash, live) in state.State.Tests) _index.Add(hash, live);
        PublishOverview();
        if (replay.Count > 0)
        {
            logger.LogInformation("Project {Project}: replaying {Count} runs after {Watermark}", this.GetPrimaryKey(), replay.Count, state.State.DurableThrough);
            _dirty = true;
            _ = ReplayAsync(replay);
        }
        StartTimers();
        ScheduleRecompute();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (state.State.Info is not null)
        {
            _feed.ReleaseReservation();
            _dirty = true;
        }
        await FlushAsync(cancellationToken);
    }

    public async Task<ProjectInfo> CreateAsync(Guid accountId, string name, string slug)
    {
        if (state.State.Info is { } existing) return existing;
        var now = clock.GetUtcNow();
        state.State.Info = new ProjectInfo(this.GetPrimaryKey(), accountId, name, slug, now, now);
        await state.WriteStateAsync();
        StartTimers();
        PublishOverview();
        return state.State.Info;
    }

    public Task<ProjectInfo?> GetAsync() => Task.FromResult(state.State.Info);

    public async Task<AcceptedRun> AcceptRunAsync(RunSubmission submission) => (await AcceptRunsAsync([submission]))[0];

    public async Task<AcceptedRun[]> AcceptRunsAsync(RunSubmission[] submissions)
    {
        if (state.State.Info is null) throw new InvalidOperationException($"project {this.GetPrimaryKey()} does not exist");
        if (submissions.Length == 0) return [];
        // Sequenced and linked in order as if accepted one by one; a test reported twice in the batch links to the
        // earlier run of the two, and a test new to the project is catalogued by the first run that has it.
        var linker = new RunLinker(state.State.Tests, submissions.Length);
        var introduced = new HashSet<string>(StringComparer.Ordinal);
        var accepted = new AcceptedRun[submissions.Length];
        var appends = new RunAppend[submissions.Length];
        for (var i = 0; i < submissions.Length; i++)
        {
            var submission = submissions[i];
            var sequence = _lastSequence + 1 + i;
            var results = linker.Link(submission.Results, sequence);
            var counts = RunCounts.Of(results);
            var run = new RunSummary(submission.Metadata, sequence, RunStatusOf(submission.Metadata, counts), counts, Settings.Rules);
            accepted[i] = new AcceptedRun(run, results);
            appends[i] = new RunAppend(run, results, NewCatalogEntries(results, submission.Metadata.CreatedAt, introduced), submission.Archive);
        }

        await store.AppendAsync(appends);

        var now = clock.GetUtcNow();
        foreach (var (run, results, newTests, _) in appends)
        {
            state.State.ReporterRuns.Remove(run.Metadata.RunGuid);
            _lastSequence = run.Sequence;
            foreach (var entry in newTests) _catalog[entry.KeyHash] = entry;
            state.State.Fold(run, results, _index.Add);
            _pending.Add(run.Sequence, results.Count, now);
        }
        _dirty = true;
        PublishOverview();
        try { await EmitAsync(accepted.Select(a => RunEvent(a.Run)).ToList()); }
        catch (Exception e)
        {
            // The runs are stored: their acceptance stands, and the callers go on to fan them out.
            logger.LogError(e, "Project {Project}: live events for runs {First}..{Last} could not be emitted",
                this.GetPrimaryKey(), accepted[0].Run.Sequence, accepted[^1].Run.Sequence);
        }
        foreach (var a in accepted) Pipelines.CollectJoin.Notify(GrainFactory, a.Run);
        return accepted;
    }

    /// <summary>One-way: the account's overview takes the newest aggregate, so a lost or reordered one is harmless.</summary>
    private void PublishOverview()
    {
        var info = state.State.Info!;
        _ = GrainFactory.GetGrain<IOverviewGrain>(info.AccountId).UpdateProjectAsync(info.Id, info.Name, state.State.Overview);
    }

    public Task MarkDispatchedAsync(long[] sequences)
    {
        foreach (var sequence in sequences) _pending.MarkDispatched(sequence);
        Advance();
        return Task.CompletedTask;
    }

    public Task TestsFlushedAsync(string keyHash, long[] sequences, FlakinessReport? report)
    {
        foreach (var s in sequences) _pending.Flushed(s, keyHash);
        if (report is not null) Index(report);
        Advance();
        return Task.CompletedTask;
    }

    private void Index(FlakinessReport report)
    {
        if (state.State.Tests.TryGetValue(report.KeyHash, out var live) && _index.Apply(report.KeyHash, live, report)) _dirty = true;
    }

    private ProjectSettings Settings => state.State.Settings ?? ProjectSettings.Defaults(state.State.Info?.CreatedAt ?? default);

    public Task<ProjectSettings?> GetSettingsAsync() => Task.FromResult(state.State.Info is null ? null : Settings);

    public async Task<ProjectSettings?> UpdateSettingsAsync(SettingsPatch patch)
    {
        if (state.State.Info is null) return null;
        var current = Settings;
        state.State.Settings = new ProjectSettings(
            patch.DataRetentionDays ?? current.DataRetentionDays,
            patch.FlakinessThreshold ?? current.FlakinessThreshold,
            patch.AutoQuarantineEnabled ?? current.AutoQuarantineEnabled,
            clock.GetUtcNow());
        await state.WriteStateAsync();
        return state.State.Settings;
    }

    public Task<TestFlags[]> GetTestFlagsAsync(string[] keyHashes) => Task.FromResult(keyHashes
        .Select(h => state.State.Tests.TryGetValue(h, out var live) ? new TestFlags(live.Score, live.Label, live.IsQuarantined) : new TestFlags(0, TestLabel.Stable, false))
        .ToArray());

    public Task<FlakinessPage> ListFlakinessAsync(double minScore, bool? quarantined, int limit, int offset)
    {
        var projectId = this.GetPrimaryKey();
        var rows = new List<FlakinessRow>();
        var total = 0;
        // Without a score floor the counters already know the total, so a page stops once it is full.
        int? known = minScore > 0 ? null : quarantined switch { null => _index.Count, true => _index.QuarantinedTests, false => null };
        foreach (var hash in _index.AtLeast(minScore, quarantinedOnly: quarantined == true))
        {
            var live = state.State.Tests[hash];
            if (quarantined == false && live.IsQuarantined) continue;
            if (known is not null && rows.Count >= limit) break;
            if (total++ < offset || rows.Count >= limit) continue;
            _catalog.TryGetValue(hash, out var entry);
            rows.Add(new FlakinessRow(PublicIds.TestId(projectId, hash), entry?.Title ?? "", entry?.FilePath, live.Score, live.Label,
                live.TotalRuns, live.FlakyRuns, live.LastFlakyAt, live.IsQuarantined,
                ((FlakinessReason)live.Reason).ToString()));
        }
        var summary = new FlakinessSummary(_index.FlakyTests, _index.QuarantinedTests, _index.AverageFlakyScore);
        return Task.FromResult(new FlakinessPage(rows.ToArray(), known ?? total, summary));
    }

    public Task<ObservationState> GetObservationStateAsync(long sequence) =>
        Task.FromResult(sequence <= _lastSequence && _pending.IsDispatched(sequence) ? ObservationState.Processed : ObservationState.Pending);

    public Task<long> CountRunsAsync(string? status, string? branch) =>
        Task.FromResult(state.State.CountRuns(status, branch) + ReporterRunsMatching(status, branch).Count());

    /// <summary>Reported runs not in the log (open or cancelled) come first, newest first; then the log, newest first.</summary>
    public async Task<IReadOnlyList<RunSummary>> ListRunsAsync(string? status, string? branch, int limit, int offset)
    {
        var unlogged = ReporterRunsMatching(status, branch).OrderByDescending(r => r.Metadata.CreatedAt).ToList();
        var page = unlogged.Skip(offset).Take(limit).ToList();
        if (page.Count < limit)
            page.AddRange(await store.ListAsync(this.GetPrimaryKey(), status, branch, limit - page.Count, Math.Max(0, offset - unlogged.Count)));
        return page;
    }

    public Task TrackReporterRunAsync(RunSummary run)
    {
        // A run already in the log (a late call) is not listed twice. The listing is written behind like the
        // counters; the run itself is durable in its own grain.
        if (run.Sequence > 0) return Task.CompletedTask;
        state.State.ReporterRuns[run.Metadata.RunGuid] = run;
        _dirty = true;
        return Task.CompletedTask;
    }

    private IEnumerable<RunSummary> ReporterRunsMatching(string? status, string? branch) => state.State.ReporterRuns.Values
        .Where(r => (status is null || r.Status == status) && (branch is null || r.Metadata.Ci.Branch == branch));

    public Task<Page<TestSummary>> ListTestsAsync(string? status, string? search, int limit, int offset)
    {
        var projectId = this.GetPrimaryKey();
        var matches = new List<(string Hash, TestLive Live, CatalogEntry Entry)>();
        TestStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<TestStatus>(status, ignoreCase: true, out var parsed)) return Task.FromResult(new Page<TestSummary>([], 0));
            wanted = parsed;
        }
        foreach (var (hash, live) in state.State.Tests)
        {
            if (!_catalog.TryGetValue(hash, out var entry)) continue;
            if (wanted is { } only && live.LastStatus != only) continue;
            if (search is not null && !Matches(entry, search)) continue;
            matches.Add((hash, live, entry));
        }
        // Summaries are built for the page only: a project may hold a hundred thousand tests.
        var page = matches.OrderByDescending(t => t.Live.LastRunAt).ThenBy(t => t.Entry.Key, StringComparer.Ordinal).Skip(offset).Take(limit)
            .Select(t => new TestSummary(PublicIds.TestId(projectId, t.Hash), t.Entry.Key, t.Entry.Title, t.Entry.FilePath,
                t.Live.LastStatus, t.Live.LastDurationMs, t.Live.LastRunId, t.Live.LastResultIndex, t.Live.LastRunAt, t.Live.TotalRuns,
                t.Live.IsQuarantined, t.Entry.FullTitle, t.Live.Score, t.Live.Label))
            .ToArray();
        return Task.FromResult(new Page<TestSummary>(page, matches.Count));
    }

    public Task<ProjectTrendsView> GetTrendsAsync(int days, int top)
    {
        var trends = state.State.Trends;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).DayNumber;
        var window = trends.Window(today, days)
            .Select(d => new TrendDay(d.Day, d.Counts.Runs, d.Counts.FailedRuns, d.Counts.Passed, d.Counts.Failed, d.Counts.Skipped, d.Counts.Flaky, d.Counts.DurationMs))
            .ToArray();
        var failing = trends.Top(top).Select(f => new FailingTest(f.Hash, _catalog.GetValueOrDefault(f.Hash)?.Title ?? "", _catalog.GetValueOrDefault(f.Hash)?.FilePath,
            f.Tally.Count, state.State.Tests.GetValueOrDefault(f.Hash)?.TotalRuns ?? 0, f.Tally.LastFailedAt, f.Tally.LastRunId, f.Tally.LastMessage)).ToArray();
        return Task.FromResult(new ProjectTrendsView(window, failing));
    }

    public Task EnsureRecoveredAsync() => Task.CompletedTask;

    private static bool Matches(CatalogEntry entry, string search) =>
        entry.Title.Contains(search, StringComparison.OrdinalIgnoreCase)
        || entry.Key.Contains(search, StringComparison.OrdinalIgnoreCase)
        || (entry.FilePath?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false);

    /// <summary>Euriqa's run status: failed when anything failed, the command failed, or the reports were unreadable.</summary>
    private static string RunStatusOf(RunMetadata meta, RunCounts counts) =>
        meta.Reporter?.FinalStatus ?? (meta.ProcessingError is not null || counts.Failed + counts.Errors > 0 || meta.ReturnCode is not (null or 0) ? "failed" : "passed");

    /// <param name="introduced">Tests catalogued by earlier runs of the same batch; this run's new ones are added.</param>
    private List<CatalogEntry> NewCatalogEntries(IReadOnlyList<TestResult> results, DateTimeOffset now, HashSet<string> introduced)
    {
        var list = new List<CatalogEntry>();
        foreach (var r in results)
        {
            var hash = r.KeyHash;
            if (!_catalog.ContainsKey(hash) && introduced.Add(hash)) list.Add(new CatalogEntry(hash, r.Key, r.Title, r.FullTitle, r.FilePath, now));
        }
        return list;
    }

    private void Advance()
    {
        var durable = _pending.Advance(_lastSequence);
        if (durable == state.State.DurableThrough) return;
        state.State.DurableThrough = durable;
        _dirty = true;
    }

    // Replayed in batches: one call per test per batch rather than per run.
    private async Task ReplayAsync(IReadOnlyList<StoredRun> runs)
    {
        foreach (var batch in runs.Chunk(ReplayBatch))
        {
            try
            {
                await RunDispatcher.DispatchAsync(GrainFactory, batch);
                foreach (var run in batch) _pending.MarkDispatched(run.Summary.Sequence);
            }
            catch (Exception e)
            {
                // Left pending: the stale-dispatch timer tries again.
                logger.LogWarning(e, "Replay of runs {First}..{Last} failed", batch[0].Summary.Sequence, batch[^1].Summary.Sequence);
                foreach (var run in batch) _pending.MarkDispatchFailed(run.Summary.Sequence, clock.GetUtcNow());
            }
        }
        Advance();
    }

    private async Task RedispatchStaleAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stale = _pending.TakeStale(now - StaleDispatch)
            .Concat(_pending.TakeUnsaved(now - StaleDispatch - 2 * options.Value.FlushInterval, now)).Order().ToList();
        if (stale.Count == 0) return;
        // Read just the stale runs, not everything stored after the oldest of them.
        var runs = new List<StoredRun>();
        foreach (var sequence in stale)
        {
            if (await store.GetBySequenceAsync(this.GetPrimaryKey(), sequence, ct) is { } run) runs.Add(run);
        }
        await ReplayAsync(runs);
    }

    private void StartTimers()
    {
        var flush = options.Value.FlushInterval;
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(flush, flush));
        this.RegisterGrainTimer(RedispatchStaleAsync, new GrainTimerCreationOptions(StaleDispatch, StaleDispatch / 3));
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (!_dirty) return;
        _dirty = false;
        try { await state.WriteStateAsync(ct); }
        catch { _dirty = true; throw; }
    }
}
