using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>A project's settings (Euriqa's shape): read with view, change with manage; PATCH changes only the fields given.</summary>
public static class ProjectSettingsApi
{
    private static readonly string[] Fields = ["dataRetentionDays", "flakinessThreshold", "autoQuarantineEnabled"];

    // Fields a client may echo back from GET; they are not settings and are ignored.
    private static readonly string[] ReadOnlyFields = ["projectId", "updatedAt"];

    public static IEndpointRouteBuilder MapProjectSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects/{id}/settings").WithTags("Projects").RequireAuthorization(Policies.View)
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.ProjectsTeams));
        group.MapGet("/", GetAsync).WithSummary("The project's settings (view)");
        group.MapPatch("/", PatchAsync)
            .WithSummary("Change settings: dataRetentionDays (1..3650), flakinessThreshold (0..1], autoQuarantineEnabled (manage)")
            .RequireAuthorization(Policies.Manage);
        return app;
    }

    private static async Task<Results<Ok<ProjectSettingsDto>, JsonHttpResult<ErrorEnvelope>>> GetAsync(HttpContext http, IGrainFactory grains, string id)
    {
        if (!Guid.TryParse(id, out var projectId)) return ApiError.NotFound("Project", id);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(http.User), projectId, Permission.View);
        if (denied is not null) return denied;
        var settings = await grains.GetGrain<IProjectGrain>(projectId).GetSettingsAsync();
        return settings is null ? ApiError.NotFound("Project", id) : TypedResults.Ok(ToDto(projectId, settings));
    }

    private static async Task<Results<Ok<ProjectSettingsDto>, JsonHttpResult<ErrorEnvelope>>> PatchAsync(HttpContext http, IGrainFactory grains, string id)
    {
        if (!Guid.TryParse(id, out var projectId)) return ApiError.NotFound("Project", id);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(http.User), projectId, Permission.Manage);
        if (denied is not null) return denied;
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var retention = body!.Integer("dataRetentionDays", min: 1, max: 3650);
        var threshold = body.Number("flakinessThreshold", min: 0, max: 1);
        var auto = body.Bool("autoQuarantineEnabled");
        body.Unknown([.. Fields, .. ReadOnlyFields]);
        if (body.Error is not null) return ApiError.Validation(body.Error);
        // A threshold of 0 would quarantine every FLAKY test however rarely it fails: at least some failure rate is required.
        if (threshold is 0) return ApiError.Validation("flakinessThreshold", "out_of_range", "Field 'flakinessThreshold' must be greater than 0 and at most 1");

        var settings = await grains.GetGrain<IProjectGrain>(projectId).UpdateSettingsAsync(new SettingsPatch((int?)retention, threshold, auto));
        return settings is null ? ApiError.NotFound("Project", id) : TypedResults.Ok(ToDto(projectId, settings));
    }

    private static ProjectSettingsDto ToDto(Guid projectId, ProjectSettings s) =>
        new(projectId, s.DataRetentionDays, s.FlakinessThreshold, s.AutoQuarantineEnabled, s.UpdatedAt);
}
