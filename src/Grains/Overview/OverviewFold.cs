namespace Seismo.Grains.Overview;

/// <summary>
/// Folds runs into a project's <see cref="ProjectOverview"/>: totals, one bucket per UTC day for the last
/// <see cref="TrendDays"/> days and the newest <see cref="RecentCount"/> builds. Plain code; the aggregate stays
/// the same size however many runs are folded.
/// </summary>
public static class OverviewFold
{
    public const int TrendDays = 30;
    public const int RecentCount = 10;

    /// <summary>Passed counts passed and flaky results (passed on retry); failed counts failures and errors.</summary>
    public static ProjectOverview Add(ProjectOverview overview, RunSummary run)
    {
        if (run.Sequence <= overview.Sequence) return overview;
        var c = run.Counts;
        var passed = c.Passed + c.Flaky;
        var failed = c.Failed + c.Errors;
        var m = run.Metadata;
        var day = DayOf(m.CreatedAt);
        var build = new RecentBuild(m.Id, m.Ci.BuildId ?? m.Id, run.Status, passed, failed, c.Skipped, c.Total, m.Ci.Branch, m.Ci.CommitSha, m.CreatedAt);
        return new ProjectOverview(
            run.Sequence,
            overview.Builds + 1,
            overview.Passed + passed,
            overview.Failed + failed,
            overview.Skipped + c.Skipped,
            AddToDay(overview.Days, day, passed, failed, c.Skipped),
            Prepend(overview.Recent, build));
    }

    /// <summary>
    /// Takes a deleted run back out: totals, its day's bucket (gone when it held only this run) and its place among
    /// the recent builds, which stay fewer until newer runs arrive (older ones are not kept to refill them).
    /// </summary>
    public static ProjectOverview Remove(ProjectOverview overview, RunSummary run)
    {
        if (run.Sequence > overview.Sequence) return overview;
        var c = run.Counts;
        var passed = c.Passed + c.Flaky;
        var failed = c.Failed + c.Errors;
        var day = DayOf(run.Metadata.CreatedAt);
        var days = overview.Days
            .Select(d => d.Day != day ? d : d with
            {
                Passed = Math.Max(0, d.Passed - passed), Failed = Math.Max(0, d.Failed - failed),
                Skipped = Math.Max(0, d.Skipped - c.Skipped), Builds = d.Builds - 1,
            })
            .Where(d => d.Builds > 0)
            .ToArray();
        return overview with
        {
            Builds = Math.Max(0, overview.Builds - 1),
            Passed = Math.Max(0, overview.Passed - passed),
            Failed = Math.Max(0, overview.Failed - failed),
            Skipped = Math.Max(0, overview.Skipped - c.Skipped),
            Days = days,
            Recent = overview.Recent.Where(b => b.RunId != run.Metadata.Id).ToArray(),
        };
    }

    public static int DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime).DayNumber;

    /// <summary>Adds to the day's bucket (days ascending) and drops buckets older than the window ending at the newest day.</summary>
    public static DayCount[] AddToDay(DayCount[] days, int day, long passed, long failed, long skipped)
    {
        var list = new List<DayCount>(days.Length + 1);
        var added = false;
        foreach (var d in days)
        {
            if (d.Day == day)
            {
                list.Add(d with { Passed = d.Passed + passed, Failed = d.Failed + failed, Skipped = d.Skipped + skipped, Builds = d.Builds + 1 });
                added = true;
            }
            else
            {
                if (!added && d.Day > day)
                {
                    list.Add(new DayCount(day, passed, failed, skipped, 1));
                    added = true;
                }
                list.Add(d);
            }
        }
        if (!added) list.Add(new DayCount(day, passed, failed, skipped, 1));
        var oldest = list[^1].Day - TrendDays + 1;
        return list.Where(d => d.Day >= oldest).ToArray();
    }

    /// <summary>Newest first, by creation time: a run stored late (older clock) still lands in its place.</summary>
    private static RecentBuild[] Prepend(RecentBuild[] recent, RecentBuild build) =>
        recent.Prepend(build).OrderByDescending(b => b.CreatedAt).Take(RecentCount).ToArray();

    /// <summary>Passed over passed plus failed, in whole percent rounded down; 0 when nothing ran.</summary>
    public static int PassRate(long passed, long failed) =>
        passed + failed == 0 ? 0 : (int)(100 * passed / (passed + failed));
}
