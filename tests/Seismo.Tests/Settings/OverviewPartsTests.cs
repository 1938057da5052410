using Seismo.Grains;
using Seismo.Grains.Overview;

namespace Seismo.Tests.Settings;

public sealed class OverviewPartsTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 4, 1, 10, 0, 0, TimeSpan.Zero);

    private static RunSummary Run(long sequence, DateTimeOffset at, int passed, int failed, int skipped = 0, int flaky = 0, int errors = 0, string? buildId = null)
    {
        var meta = new RunMetadata(Guid.NewGuid(), $"run-{sequence}", Guid.Empty, Guid.Empty, null, "collect", at, null, [], null, 0, null, [], [],
            CiContext.None with { BuildId = buildId, Branch = "main" }, null, null);
        var counts = new RunCounts(passed + failed + skipped + flaky + errors, passed, failed, skipped, flaky, errors);
        return new RunSummary(meta, sequence, failed + errors > 0 ? "failed" : "passed", counts);
    }

    [Fact]
    public void Fold_counts_flaky_as_passed_and_errors_as_failed_per_day()
    {
        var o = ProjectOverview.Empty;
        o = OverviewFold.Add(o, Run(1, Day0, passed: 3, failed: 1, skipped: 2));
        o = OverviewFold.Add(o, Run(2, Day0.AddHours(5), passed: 1, failed: 0, flaky: 2, errors: 1));
        o = OverviewFold.Add(o, Run(3, Day0.AddDays(1), passed: 4, failed: 0));

        Assert.Equal((3L, 10L, 2L, 2L), (o.Builds, o.Passed, o.Failed, o.Skipped));
        Assert.Equal(2, o.Days.Length);
        Assert.Equal(new DayCount(OverviewFold.DayOf(Day0), 6, 2, 2, 2), o.Days[0]);
        Assert.Equal(new DayCount(OverviewFold.DayOf(Day0) + 1, 4, 0, 0, 1), o.Days[1]);
        Assert.Equal(["run-3", "run-2", "run-1"], o.Recent.Select(b => b.RunId));
    }

    [Fact]
    public void Fold_ignores_a_run_already_folded()
    {
        var once = OverviewFold.Add(ProjectOverview.Empty, Run(1, Day0, 3, 1));
        Assert.Same(once, OverviewFold.Add(once, Run(1, Day0, 3, 1)));
    }

    [Fact]
    public void Fold_stays_bounded_however_long_the_history()
    {
        var o = ProjectOverview.Empty;
        for (var i = 1; i <= 1000; i++) o = OverviewFold.Add(o, Run(i, Day0.AddHours(i * 3), 5, i % 2));
        Assert.Equal(1000, o.Builds);
        Assert.Equal(OverviewFold.TrendDays, o.Days.Length);
        Assert.Equal(OverviewFold.RecentCount, o.Recent.Length);
        Assert.Equal("run-1000", o.Recent[0].RunId);
        Assert.Equal(OverviewFold.DayOf(Day0.AddHours(3000)), o.Days[^1].Day);
        Assert.True(o.Days.Zip(o.Days.Skip(1)).All(p => p.First.Day < p.Second.Day));
    }

    [Fact]
    public void A_late_run_of_an_earlier_day_lands_in_its_own_bucket()
    {
        var days = OverviewFold.AddToDay([new DayCount(100, 1, 0, 0, 1), new DayCount(102, 1, 0, 0, 1)], 101, 2, 1, 0);
        Assert.Equal([100, 101, 102], days.Select(d => d.Day));
        Assert.Equal(new DayCount(101, 2, 1, 0, 1), days[1]);
    }

    [Theory]
    [InlineData(98210, 4170, 95)] // the contract's example: 95.9% is reported as 95
    [InlineData(0, 0, 0)]
    [InlineData(3, 1, 75)]
    [InlineData(10, 0, 100)]
    public void Pass_rate_is_whole_percent_rounded_down(long passed, long failed, int expected) =>
        Assert.Equal(expected, OverviewFold.PassRate(passed, failed));

    [Fact]
    public void Composer_sums_projects_windows_days_and_names_environments()
    {
        var today = OverviewFold.DayOf(Day0.AddDays(40));
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var oldRun = OverviewFold.Add(ProjectOverview.Empty, Run(1, Day0, 10, 0));
        var projects = new Dictionary<Guid, OverviewProject>
        {
            [a] = new() { Name = "checkout", EnvId = "staging", Overview = OverviewFold.Add(oldRun, Run(2, Day0.AddDays(40), 6, 2)) },
            [b] = new() { Name = "search", Overview = OverviewFold.Add(ProjectOverview.Empty, Run(1, Day0.AddDays(39), 4, 4)) },
        };
        var envs = new Dictionary<string, string> { ["staging"] = "Staging", ["empty"] = "Empty" };

        var view = OverviewComposer.Compose(projects, envs, null, today);

        Assert.Equal(new OverviewSummary(3, 2, 3, 20, 6, 76), view.Summary);
        // The 40-day-old run counts in the totals, not in the 30-day trend.
        Assert.Equal([today - 1, today], view.DailyTrends.Select(d => d.Day));
        Assert.Equal(new DailyTrend(today, 6, 2, 0, 1), view.DailyTrends[1]);
        Assert.Equal(["search", "checkout"], view.TopFailingProjects.Select(f => f.ProjectName));
        Assert.Equal(new FailingProject("default", "Default", b, "search", 4, 1, 50), view.TopFailingProjects[0]);
        Assert.Equal(("staging", "Staging", 16L * 100 / 18), (view.TopFailingProjects[1].EnvId, view.TopFailingProjects[1].EnvName, (long)view.TopFailingProjects[1].PassRate));
        Assert.Equal(["run-2", "run-1", "run-1"], view.RecentBuilds.Select(r => r.Build.RunId));
        Assert.Equal(a, view.RecentBuilds[0].ProjectId);

        var scoped = OverviewComposer.Compose(projects, envs, b, today);
        Assert.Equal(new OverviewSummary(1, 1, 1, 4, 4, 50), scoped.Summary);
        Assert.All(scoped.RecentBuilds, r => Assert.Equal(b, r.ProjectId));
    }
}
