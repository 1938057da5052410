using Seismo.Cli.Hosting;

namespace Seismo.Cli.Http;

/// <summary>Where Seismo is and who is calling: flags first, then SEISMO_URL, SEISMO_TOKEN and SEISMO_PROJECT.</summary>
public sealed record SeismoSettings(Uri Url, string? Token, string? Project)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static SeismoSettings Resolve(CliHost host, string? url, string? token, string? project, out string? error)
    {
        error = null;
        var text = url ?? host.Variable("SEISMO_URL") ?? DefaultUrl;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            error = $"the Seismo URL '{text}' is not an absolute http(s) URL (--url or SEISMO_URL)";
            uri = new Uri(DefaultUrl);
        }
        // A base path ("https://ci.example/seismo") keeps its segments when relative paths are resolved against it.
        if (!uri.AbsolutePath.EndsWith('/')) uri = new Uri(uri.AbsoluteUri + "/");
        return new SeismoSettings(uri, token ?? host.Variable("SEISMO_TOKEN"), project ?? host.Variable("SEISMO_PROJECT"));
    }
}
