using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Security;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Project keys (Euriqa's API keys, the collect API's agent tokens). All calls need manage. The plaintext is
/// returned once, at creation; only its SHA-256 is stored.
/// </summary>
public static class ApiKeysApi
{
    public static IEndpointRouteBuilder MapApiKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/api-keys").WithTags("API keys").RequireAuthorization(Policies.Manage)
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.KeysWebhooks));
        group.MapGet("/", ListAsync).WithSummary("Keys of a project, masked (projectId; an account key without it lists every key)");
        group.MapPost("/", CreateAsync).WithSummary("Create a project key: {projectId, name, role?, expiresAt?}; the key is shown once");
        group.MapPatch("/{id}", PatchAsync).WithSummary("Deactivate or reactivate a key: {isActive}");
        return app;
    }

    private static async Task<Results<Ok<DataList<ApiKeyDto>>, JsonHttpResult<ErrorEnvelope>>> ListAsync(HttpContext http, IGrainFactory grains, string? projectId)
    {
        var caller = SeismoCaller.From(http.User);
        Guid? project = null;
        if (projectId is not null)
        {
            if (!Guid.TryParse(projectId, out var p)) return ApiError.Validation("projectId", "invalid_format", "Field 'projectId' must be a UUID");
            var (_, error) = await ProjectAccess.ResolveAsync(grains, caller, p, Permission.Manage);
            if (error is not null) return error;
            project = p;
        }
        project ??= caller.ProjectId;
        var keys = await grains.GetGrain<IAccountGrain>(caller.AccountId).ListKeysAsync(project);
        return TypedResults.Ok(new DataList<ApiKeyDto>(keys.Select(ToDto).ToList()));
    }

    private static async Task<Results<Created<CreatedApiKeyDto>, JsonHttpResult<ErrorEnvelope>>> CreateAsync(HttpContext http, IGrainFactory grains, TimeProvider clock)
    {
        var caller = SeismoCaller.From(http.User);
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var projectId = body!.Guid("projectId", required: true);
        var name = body.String("name", required: true, maxLength: 200);
        var role = body.Enum<Role>("role") ?? Role.Developer;
        var expiresAt = body.DateTime("expiresAt");
        if (body.Error is not null) return ApiError.Validation(body.Error);
        if (role == Role.Admin) return ApiError.Validation("role", "invalid_value", "Field 'role' must be developer or viewer for a project key");
        if (expiresAt <= clock.GetUtcNow()) return ApiError.Validation("expiresAt", "in_past", "Field 'expiresAt' must be in the future");
        var (project, denied) = await ProjectAccess.ResolveAsync(grains, caller, projectId!.Value, Permission.Manage);
        if (denied is not null) return denied;

        var plaintext = ApiKeyText.Generate();
        var now = clock.GetUtcNow();
        var key = new ApiKeyInfo(Guid.NewGuid(), project!.AccountId, project.Id, name!, role, ApiKeyText.HashHex(plaintext),
            ApiKeyText.Mask(plaintext), true, expiresAt, null, now, now);
        await grains.GetGrain<IAccountGrain>(project.AccountId).AddKeyAsync(key);
        return TypedResults.Created($"/api/api-keys/{key.Id}", new CreatedApiKeyDto(key.Id, key.Name, key.ProjectId, key.AccountId,
            RoleName(key.Role), plaintext, key.IsActive, key.ExpiresAt, key.CreatedAt));
    }

    private static async Task<Results<Ok<ApiKeyStateDto>, JsonHttpResult<ErrorEnvelope>>> PatchAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var caller = SeismoCaller.From(http.User);
        if (!Guid.TryParse(id, out var keyId)) return ApiError.NotFound("API key", id);
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var isActive = body!.Bool("isActive", required: true);
        if (body.Error is not null) return ApiError.Validation(body.Error);

        var account = grains.GetGrain<IAccountGrain>(caller.AccountId);
        var existing = (await account.ListKeysAsync(null)).FirstOrDefault(k => k.Id == keyId);
        if (existing is null || (caller.ProjectId is { } own && existing.ProjectId != own)) return ApiError.NotFound("API key", id);
        var updated = await account.SetKeyActiveAsync(keyId, isActive!.Value);
        return TypedResults.Ok(new ApiKeyStateDto(updated!.Id, updated.Name, updated.IsActive, updated.UpdatedAt));
    }

    public static ApiKeyDto ToDto(ApiKeyInfo k) =>
        new(k.Id, k.Name, k.ProjectId, k.AccountId, RoleName(k.Role), k.MaskedKey, k.IsActive, k.ExpiresAt, k.LastUsedAt, k.CreatedAt);

    public static string RoleName(Role role) => role.ToString().ToLowerInvariant();
}
