using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>Projects of an account (Euriqa's team): list and read with view, create with manage (account keys only).</summary>
public static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/projects").WithTags("Projects").RequireAuthorization(Policies.View)
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.ProjectsTeams));
        group.MapGet("/", ListAsync).WithSummary("Projects of the key's account (teamId optional; a project key sees its own project)");
        group.MapPost("/", CreateAsync).WithSummary("Create a project: {name, teamId?} (manage, account key)").RequireAuthorization(Policies.Manage);
        group.MapGet("/{id}", GetAsync).WithSummary("One project (view)");
        return app;
    }

    private static async Task<Results<Ok<DataList<ProjectDto>>, JsonHttpResult<ErrorEnvelope>>> ListAsync(
        HttpContext http, IGrainFactory grains, string? teamId)
    {
        var caller = SeismoCaller.From(http.User);
        if (teamId is not null && (!Guid.TryParse(teamId, out var team) || team != caller.AccountId))
            return ApiError.NotFound("Team", teamId);
        var account = await grains.GetGrain<IAccountGrain>(caller.AccountId).GetAsync();
        var ids = (account?.ProjectIds ?? []).Where(p => caller.ProjectId is null || caller.ProjectId == p);
        var projects = await Task.WhenAll(ids.Select(id => grains.GetGrain<IProjectGrain>(id).GetAsync()));
        return TypedResults.Ok(new DataList<ProjectDto>(projects.OfType<ProjectInfo>().Select(ToDto).ToList()));
    }

    private static async Task<Results<Created<ProjectDto>, JsonHttpResult<ErrorEnvelope>>> CreateAsync(HttpContext http, IGrainFactory grains)
    {
        var caller = SeismoCaller.From(http.User);
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var name = body!.String("name", required: true, maxLength: 200);
        var teamId = body.Guid("teamId");
        if (body.Error is not null) return ApiError.Validation(body.Error);
        if (teamId is { } team && team != caller.AccountId) return ApiError.Forbidden($"This key cannot create projects in team '{team}'");
        if (!caller.IsAccountKey) return ApiError.Forbidden("A project key cannot create projects; use an account key");

        var project = await CreateInAccountAsync(grains, caller.AccountId, name!);
        return TypedResults.Created($"/api/projects/{project.Id}", ToDto(project));
    }

    /// <summary>Creates a project with a slug unique in its account (also used by the environments' project routes).</summary>
    internal static async Task<ProjectInfo> CreateInAccountAsync(IGrainFactory grains, Guid accountId, string name)
    {
        var account = grains.GetGrain<IAccountGrain>(accountId);
        var existing = await Task.WhenAll(((await account.GetAsync())?.ProjectIds ?? []).Select(id => grains.GetGrain<IProjectGrain>(id).GetAsync()));
        var slug = UniqueSlug(name, existing.OfType<ProjectInfo>().Select(p => p.Slug).ToHashSet());
        var id = Guid.NewGuid();
        var project = await grains.GetGrain<IProjectGrain>(id).CreateAsync(accountId, name, slug);
        await account.AddProjectAsync(id);
        return project;
    }

    private static async Task<Results<Ok<ProjectDto>, JsonHttpResult<ErrorEnvelope>>> GetAsync(HttpContext http, IGrainFactory grains, string id)
    {
        if (!Guid.TryParse(id, out var projectId)) return ApiError.NotFound("Project", id);
        var (project, error) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(http.User), projectId, Permission.View);
        return error is not null ? error : TypedResults.Ok(ToDto(project!));
    }

    public static ProjectDto ToDto(ProjectInfo p) => new(p.Id, p.Name, p.Slug, p.AccountId, p.CreatedAt, p.UpdatedAt);

    /// <summary>"Web App E2E" → "web-app-e2e"; "-2", "-3"… when the account has it already.</summary>
    internal static string UniqueSlug(string name, IReadOnlySet<string> taken)
    {
        var sb = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormKD).ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark) continue; // an accent, split off by FormKD
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        if (slug.Length == 0) slug = "project";
        if (slug.Length > 60) slug = slug[..60].TrimEnd('-');
        var candidate = slug;
        for (var n = 2; taken.Contains(candidate); n++) candidate = $"{slug}-{n}";
        return candidate;
    }
}
