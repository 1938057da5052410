using Seismo.Api.Infrastructure;

namespace Seismo.Api.Endpoints;

/// <summary>The Euriqa reporting routes: runs a reporter opens and closes, tests and suites posted into them, artifacts.</summary>
public static class ReportingApi
{
    public static WebApplicationBuilder AddSeismoReporting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RateLimits>();
        builder.Services.AddSingleton<ArtifactStorage>();
        return builder;
    }

    public static IEndpointRouteBuilder MapReportingApi(this IEndpointRouteBuilder app)
    {
        app.MapRunWritesApi();
        app.MapReportedTestsApi();
        app.MapTestSuitesApi();
        app.MapArtifactsApi();
        return app;
    }
}
