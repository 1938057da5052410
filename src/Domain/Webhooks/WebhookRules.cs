using System.Net;

namespace Seismo.Domain.Webhooks;

/// <summary>A reason a webhook field is refused: the reason code of the 400 and a message naming the field.</summary>
public sealed record WebhookRuleViolation(string Reason, string Message);

/// <summary>
/// What a webhook's URL and custom headers must be. URLs are absolute http(s) without credentials; an IP literal
/// must be public unless private targets are allowed. Host names are not resolved here, since DNS answers change:
/// every connection is checked again against the address it actually reaches.
/// </summary>
public static class WebhookRules
{
    public const int MaxUrlLength = 2048;
    public const int MaxHeaders = 20;
    public const int MaxHeaderValueLength = 1024;
    public const int MaxSecretLength = 256;

    // Headers Seismo sets itself, or that would change how the request is framed or routed.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "content-length", "content-type", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer",
        "expect", "proxy-authorization", "proxy-connection", "cookie",
    };

    public static WebhookRuleViolation? CheckUrl(string url, bool allowPrivateTargets, out Uri? uri)
    {
        uri = null;
        if (url.Length > MaxUrlLength) return new("too_long", $"Field 'url' must be at most {MaxUrlLength} characters");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed)) return new("invalid_format", "Field 'url' must be an absolute URL");
        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            return new("invalid_scheme", "Field 'url' must use http or https");
        if (string.IsNullOrEmpty(parsed.Host)) return new("invalid_format", "Field 'url' must name a host");
        if (parsed.UserInfo.Length > 0) return new("credentials_in_url", "Field 'url' must not contain credentials; use headers");
        if (parsed.Fragment.Length > 0) return new("invalid_format", "Field 'url' must not contain a fragment");
        if (!allowPrivateTargets && parsed.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(parsed.IdnHost.Trim('[', ']'), out var literal))
        {
            var kind = AddressClassifier.Classify(literal);
            if (kind != AddressKind.Public)
                return new("forbidden_address", $"Field 'url' points to a {AddressClassifier.Describe(kind)} address; webhook targets must be public");
        }
        uri = parsed;
        return null;
    }

    public static WebhookRuleViolation? CheckHeader(string name, string value)
    {
        if (name.Length is 0 or > 256 || !name.All(IsTokenChar)) return new("invalid_header_name", $"Header name '{Clip(name)}' is not a valid HTTP header name");
        if (Reserved.Contains(name) || name.StartsWith("X-Seismo-", StringComparison.OrdinalIgnoreCase))
            return new("reserved_header", $"Header '{name}' is set by Seismo and cannot be overridden");
        if (value.Length > MaxHeaderValueLength) return new("too_long", $"Header '{name}' must be at most {MaxHeaderValueLength} characters");
        if (value.Any(c => c is '\r' or '\n' or '\0' || c > 0x7E || (c < 0x20 && c != '\t')))
            return new("invalid_header_value", $"Header '{name}' must be printable ASCII on one line");
        return null;
    }

    // RFC 9110 token characters.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);

    private static string Clip(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
