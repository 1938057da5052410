using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Seismo.Api.Dashboard;

/// <summary>
/// The web dashboard: plain ES modules, CSS and one HTML page embedded in this assembly and served at <c>/</c>, so
/// it works offline, from any working directory, with no build step. The page is public; every API call it makes
/// carries the key the user signs in with.
/// </summary>
public static class DashboardApi
{
    /// <summary>Where the page's scripts and styles are served (<c>/dashboard</c> is the Orleans dashboard).</summary>
    public const string AssetsPath = "/ui";

    private static readonly IFileProvider Assets = new EmbeddedFileProvider(typeof(DashboardApi).Assembly, "Seismo.Api.Dashboard.assets");

    // Everything from Seismo itself: no inline script, no other origin.
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseWhen(IsDashboard, branch => branch.Use(async (context, next) =>
        {
            context.Response.Headers[HeaderNames.ContentSecurityPolicy] = Policy;
            context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
            context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
            await next();
        }).UseStaticFiles(new StaticFileOptions { FileProvider = Assets, RequestPath = AssetsPath }));
        app.MapGet("/", () => Results.Stream(Assets.GetFileInfo("index.html").CreateReadStream(), "text/html; charset=utf-8"))
            .ExcludeFromDescription().AllowAnonymous()
            .AddEndpointFilter(async (context, next) =>
            {
                var headers = context.HttpContext.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = Policy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers[HeaderNames.CacheControl] = "no-cache";
                return await next(context);
            });
        return app;
    }

    private static bool IsDashboard(HttpContext context) => context.Request.Path.StartsWithSegments(AssetsPath);
}
