namespace Seismo.Domain.Settings;

/// <summary>One <c>&lt;env&gt;/&lt;project&gt;</c> pair and the bytes its files take.</summary>
public sealed record DiskEntry(string Path, long Bytes);

/// <summary>
/// Groups the data dir's files (or directory totals) by environment and project. Anything under <c>reports/{env}/{project}/</c>,
/// <c>builds/{project}/</c> and <c>archives/{project}/</c> belong to a project; <paramref name="label"/> names it
/// (<c>env/project</c>) from its environment (null outside <c>reports/</c>) and directory name, or returns null
/// for a project the caller does not see. Everything else (the database, upload sessions, tools) is in no pair.
/// </summary>
public static class DiskBreakdown
{
    public const int Top = 20;

    public static IReadOnlyList<DiskEntry> Compute(
        IEnumerable<(string RelativePath, long Bytes)> files, Func<string?, string, string?> label, int top = Top)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (path, bytes) in files)
        {
            if (LabelOf(path, label) is not { } name) continue;
            sizes[name] = sizes.GetValueOrDefault(name) + bytes;
        }
        return sizes.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal)
            .Take(top).Select(s => new DiskEntry(s.Key, s.Value)).ToList();
    }

    private static string? LabelOf(string relativePath, Func<string?, string, string?> label)
    {
        var parts = relativePath.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
        return parts switch
        {
            ["reports", var env, var project, ..] => label(env, project),
            ["builds" or "archives", var project, ..] => label(null, project),
            _ => null,
        };
    }
}
