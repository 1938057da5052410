using System.Text.RegularExpressions;

namespace Seismo.Domain.Collect;

/// <summary>
/// Hides secrets in an environment captured by command.json before it is stored or shown. A value is replaced by
/// <see cref="Redacted"/> when its key names a secret or the value itself looks like a credential. Errs on the side
/// of masking: a hidden harmless value costs little, a leaked token costs a rotation.
/// </summary>
public static class SecretMasker
{
    public const string Redacted = "***";

    private const RegexOptions KeyOptions = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
    // Values may be long and are client data: the non-backtracking engine keeps matching linear.
    private const RegexOptions ValueOptions = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    private static readonly (string Target, Regex Pattern)[] KeyRules =
    [
        ("key", new(@"TOKEN|SECRET|PASSW(?:OR)?D|PASSPHRASE|CREDENTIAL|SESSION|COOKIE|SIGNATURE|DSN", KeyOptions)),
        ("key", new(@"(?:API|ACCESS|PRIVATE)_?KEY|(?:^|[_.-])KEYS?$", KeyOptions)),
        ("key", new(@"CONN(?:ECTION)?_?STR(?:ING)?", KeyOptions)),
        // PWD and OLDPWD are the shell's working directories, not passwords; DB_PWD is a password.
        ("key", new(@"^(?!(?:OLD)?PWD$).*PWD", KeyOptions)),
        // AUTH but not AUTHOR (GIT_AUTHOR_NAME); AUTHORIZATION and AUTHORISATION still count.
        ("key", new(@"AUTH(?!OR(?!I[SZ]))", KeyOptions)),
    ];

    private static readonly (string Target, Regex Pattern)[] ValueRules =
    [
        ("value: GitHub token", new(@"\bgh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}", ValueOptions)),
        ("value: GitLab token", new(@"glpat-[A-Za-z0-9_-]{20,}", ValueOptions)),
        ("value: Slack token", new(@"xox[baprs]-[A-Za-z0-9-]{10,}", ValueOptions)),
        ("value: AWS access key id", new(@"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", ValueOptions)),
        ("value: npm, Stripe or Google API key", new(@"npm_[A-Za-z0-9]{36}|[sr]k_live_[0-9A-Za-z]{20,}|AIza[0-9A-Za-z_-]{35}", ValueOptions)),
        ("value: JWT", new(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.", ValueOptions)),
        ("value: URL with user:password@", new(@"[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]*:[^\s/@]+@", ValueOptions)),
        ("value: private key block", new(@"-----BEGIN [A-Z ]*PRIVATE KEY-----", ValueOptions)),
    ];

    /// <summary>The rules for documentation: what they apply to and the pattern.</summary>
    public static IReadOnlyList<(string Target, string Pattern)> Rules { get; } =
        [.. KeyRules.Concat(ValueRules).Select(r => (r.Target, r.Pattern.ToString()))];

    public static IReadOnlyDictionary<string, string> Mask(IReadOnlyDictionary<string, string> env)
    {
        ArgumentNullException.ThrowIfNull(env);
        var masked = new Dictionary<string, string>(env.Count, StringComparer.Ordinal);
        foreach (var (key, value) in env)
        {
            masked[key] = IsSecret(key, value) ? Redacted : value;
        }
        return masked;
    }

    /// <summary>An empty value is never a secret (and masking it would suggest one was there).</summary>
    public static bool IsSecret(string key, string value) =>
        !string.IsNullOrEmpty(value)
        && (KeyRules.Any(r => r.Pattern.IsMatch(key)) || ValueRules.Any(r => r.Pattern.IsMatch(value)));
}
