namespace Seismo.Domain.Collect.Ci;

/// <summary>Read access to the environment of a run: blank values count as unset.</summary>
internal sealed class CiVariables(IReadOnlyDictionary<string, string> env)
{
    public string? this[string name] =>
        env.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public string? First(params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (this[name] is { } value) return value;
        }
        return null;
    }

    public bool IsTrue(string name) => string.Equals(this[name], "true", StringComparison.OrdinalIgnoreCase);

    public static string? Join(string separator, string? left, string? right) =>
        left is null || right is null ? null : $"{left.TrimEnd('/')}{separator}{right.TrimStart('/')}";

    /// <summary>"refs/heads/main" → "main"; tags, pull-request refs and detached HEAD → null.</summary>
    public static string? BranchName(string? reference) => reference switch
    {
        null or "HEAD" => null,
        _ when reference.StartsWith("refs/heads/", StringComparison.Ordinal) => reference["refs/heads/".Length..],
        _ when reference.StartsWith("refs/", StringComparison.Ordinal) => null,
        _ => reference,
    };

    /// <summary>Jenkins' GIT_BRANCH names the remote: "origin/main", "refs/remotes/origin/main" → "main".</summary>
    public static string? WithoutRemote(string? reference)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["refs/remotes/origin/", "remotes/origin/", "origin/"])
        {
            if (reference?.StartsWith(prefix, StringComparison.Ordinal) == true) return reference[prefix.Length..];
        }
        return reference;
    }

    /// <summary>"https://x/acme/app.git", "git@host:acme/app.git" → "acme/app". Credentials in the URL are dropped.</summary>
    public static string? RepositoryFromGitUrl(string? url)
    {
        if (url is null) return null;
        string path;
        if (url.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
            path = Uri.UnescapeDataString(uri.AbsolutePath);
        }
        else
        {
            var colon = url.IndexOf(':');
            if (colon < 0) return null;
            path = url[(colon + 1)..];
        }
        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.Ordinal)) path = path[..^4];
        return path.Length == 0 ? null : path;
    }

    /// <summary>A build URL copied from the environment must not carry user:password@.</summary>
    public static string? WithoutCredentials(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0) return url;
        return new UriBuilder(uri) { UserName = "", Password = "" }.Uri.AbsoluteUri;
    }

    /// <summary>The number after the last '/', as in ".../pull/123" or "refs/pull/123/merge".</summary>
    public static string? PullRequestNumber(string? value, string marker)
    {
        if (value is null) return null;
        var at = value.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var digits = value[(at + marker.Length)..].Split('/')[0];
        return digits.Length > 0 && digits.All(char.IsAsciiDigit) ? digits : null;
    }
}
