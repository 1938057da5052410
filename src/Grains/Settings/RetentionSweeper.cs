using Seismo.Domain.Settings;

namespace Seismo.Grains.Settings;

/// <summary>What one pass over the data dir's files did.</summary>
public readonly record struct FileSweepResult(int Deleted, int Skipped);

/// <summary>
/// The file side of a cleanup sweep: generated reports (<c>reports/{env}/{project}/{build}/</c>), build results
/// (<c>builds/{project}/{build}/</c>) and upload sessions (<c>uploads/{session}/</c>). Each directory's age is its
/// newest write, itself or anything inside, so a directory still being written is never expired.
/// </summary>
public sealed class RetentionSweeper(string dataDir)
{
    private readonly string _root = Path.GetFullPath(dataDir);

    public FileSweepResult Sweep(DateTimeOffset now, int retentionDays, bool dryRun)
    {
        var expired = RetentionPlanner.Expired(Candidates(), now, retentionDays);
        if (dryRun) return new FileSweepResult(expired.Count, 0);
        int deleted = 0, skipped = 0;
        foreach (var candidate in expired)
        {
            try
            {
                Directory.Delete(candidate.Path, recursive: true);
                RemoveEmptyParents(candidate.Path);
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                skipped++;
            }
        }
        return new FileSweepResult(deleted, skipped);
    }

    private IEnumerable<SweepCandidate> Candidates()
    {
        var dirs = Children(Path.Combine(_root, "reports"), depth: 3).Select(d => ("report", d))
            .Concat(Children(Path.Combine(_root, "builds"), depth: 2).Select(d => ("build", d)))
            .Concat(Children(Path.Combine(_root, "uploads"), depth: 1).Select(d => ("upload", d)));
        foreach (var (kind, dir) in dirs)
        {
            if (Candidate(kind, dir) is { } candidate) yield return candidate;
        }
    }

    private static IEnumerable<string> Children(string root, int depth)
    {
        if (!Directory.Exists(root)) return [];
        IEnumerable<string> level = [root];
        for (var i = 0; i < depth; i++) level = level.SelectMany(d => Directory.Exists(d) ? Directory.EnumerateDirectories(d) : []).ToList();
        return level;
    }

    // Null when the directory went away meanwhile (removed by its owner): nothing to sweep.
    private static SweepCandidate? Candidate(string kind, string dir)
    {
        try { return new SweepCandidate(kind, dir, NewestWrite(dir)); }
        catch (DirectoryNotFoundException) { return null; }
    }

    private static DateTimeOffset NewestWrite(string dir)
    {
        var newest = Directory.GetLastWriteTimeUtc(dir);
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LastWriteTimeUtc > newest) newest = entry.LastWriteTimeUtc;
        }
        return new DateTimeOffset(newest, TimeSpan.Zero);
    }

    // Leaves no empty project or environment directories behind, up to the kind's root (reports/, builds/, uploads/).
    private void RemoveEmptyParents(string path)
    {
        for (var parent = Path.GetDirectoryName(path); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            var relative = Path.GetRelativePath(_root, parent);
            if (!relative.Contains(Path.DirectorySeparatorChar) || Directory.EnumerateFileSystemEntries(parent).Any()) return;
            Directory.Delete(parent);
        }
    }
}
