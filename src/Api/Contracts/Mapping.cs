using Seismo.Domain.Identity;
using Seismo.Grains;

namespace Seismo.Api.Contracts;

/// <summary>Grain records to wire shapes.</summary>
public static class Mapping
{
    public static string StatusName(TestStatus status) => status.ToString().ToLowerInvariant();

    public static long DurationOf(RunSummary run) =>
        run.Metadata.DurationMs ?? 0;

    public static RunListItemDto ToListItem(RunSummary r)
    {
        var c = CountsOf(r);
        return new(r.Metadata.Id, r.Metadata.ProjectId, r.Status, r.Metadata.Ci.Branch, r.Metadata.Ci.CommitSha, c.Total, c.Passed,
            c.Failed, c.Skipped, c.Flaky, c.PassRate, DurationOf(r), r.Metadata.CreatedAt);
    }

    public static RunDetailDto ToDetail(RunSummary r, ObservationState state)
    {
        var m = r.Metadata;
        var c = CountsOf(r);
        var p = m.Reporter;
        return new RunDetailDto(m.Id, m.ProjectId, r.Status, m.Ci.Branch, m.Ci.CommitSha, m.Ci.Provider, m.Ci.BuildId, m.Ci.BuildUrl,
            m.Ci.JobName, m.Ci.Repository, m.Source, m.Command, m.User, m.ReturnCode, m.ExecutedAt, m.Tags, m.Env, c.Total,
            c.Passed, c.Failed, c.Skipped, c.Flaky, c.PassRate, DurationOf(r),
            r.Sequence, ObservationStateName(state), m.ProcessingError, m.CreatedAt, p?.UpdatedAt ?? m.CreatedAt,
            p?.CommitMessage, p?.CommitAuthor, p?.PlaywrightVersion, p?.Workers, p?.ShardCurrent, p?.ShardTotal, p?.Browser, p?.Os,
            p?.Viewport, p?.Hostname, p?.RunTitle, p?.GrepPatterns);
    }

    public readonly record struct ShownCounts(int Total, int Passed, int Failed, int Skipped, int Flaky, double PassRate);

    /// <summary>A run's counts: the results' own, each replaced by the reporter's statistic when it patched one in.</summary>
    public static ShownCounts CountsOf(RunSummary r)
    {
        var s = r.Metadata.Reporter?.Stats;
        var c = r.Counts;
        var (total, passed, failed, skipped, flaky) = (s?.Total ?? c.Total, s?.Passed ?? c.Passed, s?.Failed ?? c.Failed + c.Errors,
            s?.Skipped ?? c.Skipped, s?.Flaky ?? c.Flaky);
        if (s is null) return new ShownCounts(total, passed, failed, skipped, flaky, c.PassRate);
        // The reporter's passed count is what its passRate is of (the contract's 138 of 142 is 97.18).
        var ran = total - skipped;
        return new ShownCounts(total, passed, failed, skipped, flaky, ran <= 0 ? 0 : Math.Round(100.0 * passed / ran, 2));
    }

    public static string ObservationStateName(ObservationState state) => state.ToString().ToLowerInvariant();

    public static TestErrorDto? ErrorOf(TestResult r) =>
        r.Message is null && r.ErrorType is null && r.Stack is null ? null : new TestErrorDto(r.Message, r.ErrorType, r.Stack);

    public static string TestIdOf(Guid projectId, TestResult r) => PublicIds.TestId(projectId, r.KeyHash);

    public static TestResultDto ToResult(RunSummary run, TestResult r, int index, TestFlags flags) => new(
        PublicIds.ResultId(run.Metadata.RunGuid, index), TestIdOf(run.Metadata.ProjectId, r), run.Metadata.Id, run.Metadata.ProjectId,
        r.Title, r.FullTitle, r.FilePath, r.Line, StatusName(r.Status), r.DurationMs, Math.Max(0, r.Attempts - 1), r.Attempts,
        r.Status == TestStatus.Flaky, ErrorOf(r), flags.IsQuarantined, Math.Round(flags.Score, 4), LabelName(flags.Label), run.Metadata.CreatedAt);

    public static TestCatalogItemDto ToCatalogItem(Guid projectId, TestSummary t)
    {
        PublicIds.TryParseRunId(t.LastRunId, out var runGuid);
        return new TestCatalogItemDto(PublicIds.ResultId(runGuid, t.LastResultIndex), t.TestId, t.LastRunId, projectId, t.Title,
            t.FullTitle, t.FilePath, StatusName(t.LastStatus), t.LastDurationMs, t.LastStatus == TestStatus.Flaky, t.TotalRuns, t.IsQuarantined,
            Math.Round(t.FlakinessScore, 4), LabelName(t.Label), t.LastRunAt);
    }

    public static string LabelName(TestLabel label) => label.ToString().ToUpperInvariant();
}
