using Microsoft.Net.Http.Headers;
using Orleans.Dashboard;
using Seismo.Api.Auth;
using Seismo.Grains.Telemetry;

namespace Seismo.Api.Infrastructure;

/// <summary>
/// What operators look at: <c>/metrics</c> for Prometheus (OpenTelemetry: Seismo's, Orleans' and ASP.NET Core's
/// meters) and the Orleans dashboard at <c>/dashboard</c> (admin keys only). Health is <c>/health</c> (ClusterApi).
/// </summary>
public static class SeismoObservability
{
    public const string DashboardPath = "/dashboard";

    /// <summary>Holds an admin key for the dashboard's own page, scripts and data calls, which cannot send a header.</summary>
    public const string DashboardCookie = "seismo_dashboard_key";

    public static WebApplicationBuilder AddSeismoObservability(this WebApplicationBuilder builder)
    {
        builder.AddSeismoMetricsExporter();
        return builder;
    }

    public static WebApplication MapObservabilityApi(this WebApplication app)
    {
        if (TelemetryHosting.MetricsEnabled(app.Configuration))
        {
            var metrics = app.MapPrometheusScrapingEndpoint("/metrics").WithTags("System").ExcludeFromDescription();
            // Scrapers are usually anonymous on a private network; Seismo:Metrics:RequireKey asks for an admin key.
            if (app.Configuration.GetValue<bool>($"{TelemetryHosting.MetricsSection}:RequireKey")) metrics.RequireAuthorization(Policies.Manage);
            else metrics.AllowAnonymous();
        }
        if (TelemetryHosting.DashboardEnabled(app.Configuration))
        {
            app.MapOrleansDashboard(DashboardPath).RequireAuthorization(Policies.Manage).ExcludeFromDescription()
                .AddEndpointFilter(async (context, next) =>
                {
                    var http = context.HttpContext;
                    // Signed in with ?key=: keep the key in a cookie only this path sees, and drop it from the address bar.
                    if (http.Request.Query.ContainsKey("key")) return SignIn(http);
                    var headers = http.Response.Headers;
                    headers[HeaderNames.XContentTypeOptions] = "nosniff";
                    headers[HeaderNames.ContentSecurityPolicy] = "frame-ancestors 'none'";
                    headers[HeaderNames.CacheControl] = "no-store";
                    return await next(context);
                });
        }
        return app;
    }

    private static IResult SignIn(HttpContext http)
    {
        http.Response.Cookies.Append(DashboardCookie, http.Request.Query["key"].ToString().Trim(), new CookieOptions
        {
            HttpOnly = true, SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = DashboardPath, IsEssential = true,
        });
        var rest = QueryString.Create(http.Request.Query.Where(q => q.Key != "key"));
        var path = http.Request.Path.Value is DashboardPath ? DashboardPath + "/" : http.Request.Path.Value;
        return Results.Redirect($"{http.Request.PathBase}{path}{rest}");
    }
}
