using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>Processing state of a collect observation: pending → processed, or failed with the reason.</summary>
public static class ObservationsApi
{
    public static IEndpointRouteBuilder MapObservationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/observations/{id}", GetAsync).WithTags("Collect").RequireAuthorization(Policies.View)
            .WithSummary("Observation status (snake_case, like the collect API): pending, processed or failed, with test counts");
        return app;
    }

    private static async Task<Results<Ok<ObservationDto>, JsonHttpResult<ErrorEnvelope>>> GetAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var (run, error) = await RunsApi.ResolveAsync(http, grains, id);
        if (error is not null) return ApiError.NotFound("Observation", id);
        var state = await grains.GetGrain<IRunGrain>(run!.Metadata.RunGuid).GetObservationStateAsync() ?? ObservationState.Pending;
        var m = run.Metadata;
        return TypedResults.Ok(new ObservationDto(m.Id, m.Id, m.ProjectId, Mapping.ObservationStateName(state), run.Counts.Total,
            run.Counts.Failed + run.Counts.Errors, m.ProcessingError, m.CreatedAt));
    }
}
