namespace Seismo.Domain.Pipelines;

/// <summary>A reporting window: [Start, End) ending now, and the window of the same length just before it (for trends).</summary>
public sealed record ReportingWindow(string Name, DateTimeOffset Start, DateTimeOffset End, bool Hourly)
{
    public const string Default = "last-90-days";
    public static readonly string[] Names = ["last-24-hours", "last-7-days", "last-30-days", "last-60-days", "last-90-days"];

    public TimeSpan Length => End - Start;
    public double Days => Length.TotalDays;
    public ReportingWindow Previous => this with { Start = Start - Length, End = Start };

    /// <summary>
    /// The named window ending with the current hour (last-24-hours: 24 hourly buckets) or the current day (the others:
    /// N daily buckets), so a window is a whole number of the buckets kept on write.
    /// </summary>
    public static ReportingWindow? Parse(string? name, DateTimeOffset now)
    {
        name ??= Default;
        if (name == "last-24-hours")
        {
            var hourEnd = TimeBuckets.HourStart(now).AddHours(1);
            return new ReportingWindow(name, hourEnd.AddHours(-24), hourEnd, Hourly: true);
        }
        int? days = name switch { "last-7-days" => 7, "last-30-days" => 30, "last-60-days" => 60, "last-90-days" => 90, _ => null };
        if (days is null) return null;
        var dayEnd = TimeBuckets.DayStart(now).AddDays(1);
        return new ReportingWindow(name, dayEnd.AddDays(-days.Value), dayEnd, Hourly: false);
    }
}

/// <summary>Bucket numbering: hours and days since the Unix epoch, UTC.</summary>
public static class TimeBuckets
{
    public static long Hour(DateTimeOffset t) => (long)Math.Floor((t.UtcDateTime - DateTime.UnixEpoch).TotalHours);
    public static long Day(DateTimeOffset t) => (long)Math.Floor((t.UtcDateTime - DateTime.UnixEpoch).TotalDays);
    public static DateTimeOffset HourStart(DateTimeOffset t) => DateTimeOffset.UnixEpoch.AddHours(Hour(t));
    public static DateTimeOffset DayStart(DateTimeOffset t) => DateTimeOffset.UnixEpoch.AddDays(Day(t));
    public static DateTimeOffset FromHour(long hour) => DateTimeOffset.UnixEpoch.AddHours(hour);
    public static DateTimeOffset FromDay(long day) => DateTimeOffset.UnixEpoch.AddDays(day);
}

/// <summary>The figures the insights routes report for one aggregate over one window.</summary>
public sealed record InsightsFigures(
    long TotalRuns, long SuccessfulRuns, long FailedRuns, long CompletedRuns, double SuccessRate, double Throughput,
    long? Mttr, long? TotalRecoveries, long? Min, long? Max, long? Mean, long? Median, long? P95, double? StandardDeviation,
    long TotalDurationSeconds, double? P95Exact)
{
    /// <param name="days">The window's length in days: throughput is runs per day over it.</param>
    public static InsightsFigures Of(RunAggregate a, double days)
    {
        double? mean = a.DurationCount > 0 ? a.DurationSum / a.DurationCount : null;
        double? std = null;
        if (a.DurationCount > 0)
        {
            // Population standard deviation from the moments; rounding can leave a tiny negative variance.
            var variance = a.DurationSumOfSquares / a.DurationCount - mean!.Value * mean.Value;
            std = Math.Round(Math.Sqrt(Math.Max(variance, 0)), 3);
        }
        var p95 = a.Sketch.Quantile(0.95);
        return new InsightsFigures(
            a.TotalRuns, a.SuccessfulRuns, a.FailedRuns, a.CompletedRuns,
            a.CompletedRuns == 0 ? 0 : (double)a.SuccessfulRuns / a.CompletedRuns,
            days <= 0 ? 0 : a.TotalRuns / days,
            a.Recoveries > 0 ? (long)Math.Round(a.RecoverySeconds / a.Recoveries) : null,
            a.Recoveries,
            Seconds(a.MinDuration), Seconds(a.MaxDuration), Seconds(mean), Seconds(a.Sketch.Quantile(0.5)), Seconds(p95), std,
            (long)Math.Round(Math.Max(a.DurationSum, 0)), p95);
    }

    private static long? Seconds(double? value) => value is { } v ? (long)Math.Round(v) : null;

    /// <summary>The relative change from the previous window: (current − previous) / previous, 0 when there is no previous.</summary>
    public static double Trend(double current, double previous) => previous == 0 ? 0 : Math.Round((current - previous) / previous, 4);
}
