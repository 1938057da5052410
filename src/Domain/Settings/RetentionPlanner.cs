namespace Seismo.Domain.Settings;

/// <summary>What a sweep found: a report, a build's results or an upload session, and when it was last written.</summary>
public sealed record SweepCandidate(string Kind, string Path, DateTimeOffset LastWriteUtc);

/// <summary>Decides which candidates are past retention. Plain code: the sweep does the IO.</summary>
public static class RetentionPlanner
{
    public static DateTimeOffset Cutoff(DateTimeOffset now, int retentionDays) =>
        now - TimeSpan.FromDays(Math.Max(retentionDays, 1));

    /// <summary>Candidates last written strictly before the cutoff, oldest first.</summary>
    public static IReadOnlyList<SweepCandidate> Expired(IEnumerable<SweepCandidate> candidates, DateTimeOffset now, int retentionDays)
    {
        var cutoff = Cutoff(now, retentionDays);
        return candidates.Where(c => c.LastWriteUtc < cutoff).OrderBy(c => c.LastWriteUtc).ThenBy(c => c.Path, StringComparer.Ordinal).ToList();
    }
}
