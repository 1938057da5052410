using System.Text.RegularExpressions;

namespace Seismo.Domain.Settings;

/// <summary>A release version MAJOR.MINOR.PATCH (semver without pre-release or build metadata, no leading zeros).</summary>
public static partial class ReleaseVersion
{
    /// <summary>Null when <paramref name="text"/> is a release version, else why not: <c>prerelease</c> or <c>invalid_format</c>.</summary>
    public static string? Problem(string text)
    {
        if (Release().IsMatch(text)) return null;
        return PreRelease().IsMatch(text) ? "prerelease" : "invalid_format";
    }

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$")]
    private static partial Regex Release();

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)-[0-9A-Za-z.-]+([+][0-9A-Za-z.-]+)?$")]
    private static partial Regex PreRelease();
}
