using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// The report server's dashboard overview, answered from the account's overview aggregate (kept on write). An account
/// key sees its whole account; a project key its project.
/// </summary>
public static class OverviewApi
{
    public static IEndpointRouteBuilder MapOverviewApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/overview", GetAsync).WithTags("Overview").RequireAuthorization(Policies.View)
            .WithSummary("Summary, daily trends (last 30 days), top failing projects and recent builds");
        return app;
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<OverviewDto>> GetAsync(HttpContext http, IGrainFactory grains)
    {
        var caller = SeismoCaller.From(http.User);
        var view = await grains.GetGrain<IOverviewGrain>(caller.AccountId).GetAsync(caller.ProjectId);
        return TypedResults.Ok(OverviewDto.From(view));
    }
}
