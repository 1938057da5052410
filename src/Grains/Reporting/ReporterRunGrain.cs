using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Seismo.Domain.Identity;
using Seismo.Domain.Reporting;
using Seismo.Grains.Hosting;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Reporting;

/// <summary>
/// A run reported test by test. Results are buffered here, not written one by one: the state is written behind,
/// every <see cref="BatchSize"/> results or every flush interval, and the whole run goes into the run log (one
/// transaction, like a /collect run) when the reporter closes it as passed or failed. The log append is what feeds
/// the scorer, so it happens once: a run found in the log already (a retried PATCH after a crash) is not appended again.
/// </summary>
public sealed class ReporterRunGrain(
    [PersistentState("reporterrun", "Default")] IPersistentState<ReporterRunState> state,
    IRunStore store,
    IOptions<SeismoOptions> options,
    TimeProvider clock) : Grain, IReporterRunGrain
{
    public const int BatchSize = 500;

    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private int _unsaved;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < state.State.Results.Count; i++) _slots[state.State.Results[i].KeyHash] = i;
        var period = options.Value.FlushInterval;
        this.RegisterGrainTimer(_ => SaveIfDirtyAsync(), new GrainTimerCreationOptions(period, period));
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => SaveIfDirtyAsync();

    private RunMetadata? Metadata => state.State.Metadata;

    public async Task<ReporterRunView> CreateAsync(RunMetadata metadata)
    {
        if (Metadata is null)
        {
            state.State.Metadata = metadata;
            await state.WriteStateAsync();
            await Project.TrackReporterRunAsync(View().Summary);
        }
        return View();
    }

    public Task<ReporterRunView?> GetAsync() => Task.FromResult(Metadata is null ? null : View());

    public async Task<RunUpdateOutcome> UpdateAsync(RunUpdate update)
    {
        if (Metadata is not { } metadata) return new RunUpdateOutcome(RunUpdateStatus.NotFound, null, null);
        // A closed run is final: whatever arrives later changes neither its status nor what the scorer saw.
        if (state.State.IsClosed) return new RunUpdateOutcome(RunUpdateStatus.Updated, View(), null);

        var now = clock.GetUtcNow();
        var fields = metadata.Reporter!;
        var stats = Merge(fields.Stats, update.Stats);
        var status = update.Status ?? state.State.Status;
        state.State.Metadata = metadata with
        {
            DurationMs = update.DurationMs ?? metadata.DurationMs,
            Reporter = fields with { Stats = stats, UpdatedAt = now, FinalStatus = status is "passed" or "failed" ? status : null },
        };

        AcceptedRun? accepted = null;
        if (status is "passed" or "failed")
        {
            var runGuid = this.GetPrimaryKey();
            if (await store.GetSummaryAsync(runGuid) is { } logged)
            {
                state.State.Sequence = logged.Sequence;
            }
            else
            {
                accepted = await Project.AcceptRunAsync(new RunSubmission(state.State.Metadata, [.. state.State.Results]));
                state.State.Sequence = accepted.Run.Sequence;
            }
        }
        state.State.Status = status;
        await SaveAsync();
        if (status == "cancelled" || (status == "running" && update.Stats != Empty)) await Project.TrackReporterRunAsync(View().Summary);
        return new RunUpdateOutcome(RunUpdateStatus.Updated, View(), accepted);
    }

    private static readonly ReportedStats Empty = new(null, null, null, null, null);

    public async Task<ReportOutcome> ReportAsync(Guid projectId, ReportedResult reported)
    {
        if (Metadata is null || Metadata.ProjectId != projectId) return new ReportOutcome(ReportStatus.RunNotFound, -1, default);
        if (state.State.IsClosed) return new ReportOutcome(ReportStatus.RunClosed, -1, default);

        var result = reported.Result;
        int index;
        if (_slots.TryGetValue(result.KeyHash, out index))
        {
            var (folded, detail) = Fold(state.State.Results[index], state.State.Details[index], result, reported.Detail);
            state.State.Results[index] = folded;
            state.State.Details[index] = detail;
        }
        else
        {
            index = state.State.Results.Count;
            _slots[result.KeyHash] = index;
            state.State.Results.Add(result);
            state.State.Details.Add(reported.Detail);
        }
        if (++_unsaved >= BatchSize) await SaveAsync();
        return new ReportOutcome(ReportStatus.Accepted, index, state.State.Results[index].Status);
    }

    public Task<TestResult[]> GetResultsAsync() => Task.FromResult(state.State.Results.ToArray());

    public Task<ResultDetail?> GetDetailAsync(int index) =>
        Task.FromResult(index >= 0 && index < state.State.Details.Count ? state.State.Details[index] : null);

    public async Task<SuiteOutcome> UpsertSuiteAsync(string title, string? filePath, string? parentSuiteId)
    {
        if (Metadata is null) return new SuiteOutcome(SuiteStatus.RunNotFound, null);
        var suites = state.State.Suites;
        var id = SuiteId(title, filePath);
        if (parentSuiteId is not null)
        {
            if (!suites.Any(s => s.Id == parentSuiteId)) return new SuiteOutcome(SuiteStatus.ParentNotFound, null);
            var parents = suites.ToDictionary(s => s.Id, s => s.ParentSuiteId, StringComparer.Ordinal);
            if (SuiteTree.WouldCycle(parents, id, parentSuiteId)) return new SuiteOutcome(SuiteStatus.ParentCycle, null);
        }
        var at = suites.FindIndex(s => s.Id == id);
        var suite = at >= 0 ? suites[at] with { ParentSuiteId = parentSuiteId } : new SuiteRecord(id, title, filePath, parentSuiteId, clock.GetUtcNow());
        if (at >= 0) suites[at] = suite; else suites.Add(suite);
        // Suites are few and a reporter reads them back: each is durable before it is acknowledged.
        await SaveAsync();
        return new SuiteOutcome(SuiteStatus.Saved, suite);
    }

    public Task<SuiteRecord[]> ListSuitesAsync() => Task.FromResult(state.State.Suites.ToArray());

    public async Task ClearAsync()
    {
        _slots.Clear();
        _unsaved = 0;
        await state.ClearStateAsync();
        state.State = new ReporterRunState();
        DeactivateOnIdle();
    }

    private IProjectGrain Project => GrainFactory.GetGrain<IProjectGrain>(Metadata!.ProjectId);

    private ReporterRunView View()
    {
        var s = state.State;
        var summary = new RunSummary(s.Metadata!, s.Sequence, s.Status, RunCounts.Of(s.Results));
        return new ReporterRunView(summary, s.Results.Count);
    }

    /// <summary>The same suite (title and file) in the same run always gets the same id.</summary>
    private string SuiteId(string title, string? filePath)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{this.GetPrimaryKey():N}\n{title}\n{filePath}"));
        return "suite_" + PublicIds.Base64Url(hash.AsSpan(0, 12));
    }

    /// <summary>
    /// A test posted twice in one run (one post per attempt): one result, the later attempt's, with every attempt
    /// counted; failing and then passing is flaky, as /collect folds reruns.
    /// </summary>
    internal static (TestResult, ResultDetail) Fold(TestResult earlier, ResultDetail earlierDetail, TestResult later, ResultDetail laterDetail)
    {
        var (first, last, lastDetail) = later.Attempts >= earlier.Attempts ? (earlier, later, laterDetail) : (later, earlier, earlierDetail);
        var passed = IsPass(first.Status) || IsPass(last.Status);
        var failed = IsFail(first.Status) || IsFail(last.Status) || first.Status == TestStatus.Flaky || last.Status == TestStatus.Flaky;
        var status = passed && failed ? TestStatus.Flaky : last.Status == TestStatus.Skipped ? first.Status : last.Status;
        var attempts = Math.Max(earlier.Attempts, later.Attempts);
        if (status == TestStatus.Flaky) attempts = Math.Max(attempts, 2);
        var result = last with { Status = status, Attempts = attempts, Message = last.Message ?? first.Message, Stack = last.Stack ?? first.Stack };
        return (result, lastDetail with { IsFlaky = status == TestStatus.Flaky, Attempt = attempts, Retries = attempts - 1 });
    }

    private static bool IsPass(TestStatus s) => s is TestStatus.Passed or TestStatus.Flaky;
    private static bool IsFail(TestStatus s) => s is TestStatus.Failed or TestStatus.Error;

    private static ReportedStats Merge(ReportedStats? current, ReportedStats update) => new(
        update.Total ?? current?.Total, update.Passed ?? current?.Passed, update.Failed ?? current?.Failed,
        update.Skipped ?? current?.Skipped, update.Flaky ?? current?.Flaky);

    private Task SaveIfDirtyAsync() => _unsaved > 0 && Metadata is not null ? SaveAsync() : Task.CompletedTask;

    private async Task SaveAsync()
    {
        var saving = _unsaved;
        await state.WriteStateAsync();
        _unsaved -= saving;
    }
}
