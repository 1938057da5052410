using System.Text;
using System.Text.RegularExpressions;

namespace Seismo.Cli.Run;

/// <summary>
/// Expands a file glob the way CI configurations write them: <c>*</c> and <c>?</c> within one path segment,
/// <c>**</c> across any number of them (<c>test-results/**/*.xml</c>), relative to the working directory or absolute.
/// The walk starts at the pattern's longest literal prefix, skips symbolic-linked folders (no loops) and
/// unreadable ones.
/// </summary>
public static class FileGlob
{
    public static IReadOnlyList<string> Expand(string pattern, string workingDirectory)
    {
        var normalised = pattern.Replace('\\', '/');
        var rooted = Path.IsPathRooted(normalised);
        var segments = normalised.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToList();
        var firstWild = segments.FindIndex(IsWild);
        if (firstWild < 0)
        {
            var literal = Path.GetFullPath(normalised, workingDirectory);
            return File.Exists(literal) ? [literal] : [];
        }

        var prefix = string.Join('/', segments.Take(firstWild));
        var root = rooted ? "/" + prefix : prefix;
        var baseDir = Path.GetFullPath(root.Length == 0 ? "." : root, workingDirectory);
        if (!Directory.Exists(baseDir)) return [];
        var rest = segments.Skip(firstWild).ToList();
        var matcher = ToRegex(rest);
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = rest.Count > 1 || rest[0] == "**",
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
            MatchType = MatchType.Simple,
        };
        return [.. Directory.EnumerateFiles(baseDir, "*", options)
            .Where(f => matcher.IsMatch(Path.GetRelativePath(baseDir, f).Replace('\\', '/')))
            .Order(StringComparer.Ordinal)];
    }

    private static bool IsWild(string segment) => segment.IndexOfAny(['*', '?']) >= 0;

    internal static Regex ToRegex(IReadOnlyList<string> segments)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < segments.Count; i++)
        {
            var last = i == segments.Count - 1;
            if (segments[i] == "**")
            {
                regex.Append(last ? ".*" : "(?:[^/]+/)*");
                continue;
            }
            foreach (var c in segments[i])
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
            if (!last) regex.Append('/');
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
