using Seismo.Api.Infrastructure;

namespace Seismo.Api.Endpoints;

/// <summary>
/// The Euriqa routes beyond the core's: runs a reporter opens, closes and deletes, tests and suites posted into them,
/// artifacts, project updates and deletion, teams and their members.
/// </summary>
public static class EuriqaApi
{
    public static WebApplicationBuilder AddSeismoEuriqa(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RateLimits>();
        builder.Services.AddSingleton<ArtifactStorage>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEuriqaApi(this IEndpointRouteBuilder app)
    {
        app.MapRunWritesApi();
        app.MapReportedTestsApi();
        app.MapTestSuitesApi();
        app.MapArtifactsApi();
        app.MapProjectAdminApi();
        app.MapTeamsApi();
        return app;
    }
}
