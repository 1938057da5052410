using Seismo.Cli.Hosting;
using Seismo.Domain.Collect;

namespace Seismo.Cli.Run;

/// <summary>
/// The report files a run sends as <c>attachment/*</c>, gathered by glob and checked against the collect contract's
/// rules before they go (a file the server would refuse would lose the whole observation): only files written during
/// the run, text types only, 5 MB each, 10 MB together.
/// </summary>
public static class Attachments
{
    // File systems with coarse timestamps (FAT, some network mounts) round modification times by up to 2 s.
    private static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(2);

    public static List<(string Name, byte[] Content)> Gather(IEnumerable<string> patterns, CliHost host, DateTimeOffset since, CliConsole console)
    {
        var limits = CollectArchiveLimits.Default;
        var files = patterns.SelectMany(p => Match(p, host, console)).Distinct(StringComparer.Ordinal).ToList();
        var chosen = new List<(string, byte[])>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        var stale = 0;
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            if (info.LastWriteTimeUtc < since.UtcDateTime - ClockSlack)
            {
                stale++;
                continue;
            }
            var extension = info.Extension.TrimStart('.');
            if (!limits.AllowedAttachmentExtensions.Contains(extension))
            {
                console.Warn($"skipped {file}: the collect API takes only {string.Join(", ", CollectArchiveLimits.ContractAttachmentExtensions)} files");
                continue;
            }
            if (info.Length > limits.MaxAttachmentBytes)
            {
                console.Warn($"skipped {file}: {info.Length} bytes is over the {limits.MaxAttachmentBytes} bytes allowed per file");
                continue;
            }
            if (total + info.Length > limits.MaxAttachmentsTotalBytes)
            {
                console.Warn($"skipped {file}: the attachments would exceed {limits.MaxAttachmentsTotalBytes} bytes together");
                continue;
            }
            total += info.Length;
            chosen.Add((UniqueName(file, host.WorkingDirectory, names), File.ReadAllBytes(file)));
        }
        if (stale > 0) console.Warn($"skipped {stale} report file(s) not written during this run (left over from an earlier one)");
        return chosen;
    }

    private static IReadOnlyList<string> Match(string pattern, CliHost host, CliConsole console)
    {
        var files = FileGlob.Expand(pattern, host.WorkingDirectory);
        if (files.Count == 0) console.Warn($"no file matches --junit {pattern}");
        return files;
    }

    /// <summary>The path below the working directory when it is there, else the file name; never ".." or absolute.</summary>
    private static string UniqueName(string file, string workingDirectory, HashSet<string> taken)
    {
        var relative = Path.GetRelativePath(workingDirectory, file).Replace('\\', '/');
        var name = relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFileName(file) : relative;
        var stem = name[..^Path.GetExtension(name).Length];
        for (var n = 2; !taken.Add(name); n++) name = $"{stem}-{n}{Path.GetExtension(file)}";
        return name;
    }
}
