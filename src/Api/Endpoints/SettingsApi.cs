using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Api.Settings;
using Seismo.Domain.Security;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// The report server's settings. Its contract guards them with an OAuth browser session; Seismo has no identity
/// provider, so they take admin keys (manage). API keys are the caller's account's; disk, retention and the Allure
/// CLI are the server's and need an admin key of the owning account (<see cref="ServerOwner"/>).
/// </summary>
public static class SettingsApi
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/settings").WithTags("Settings").RequireAuthorization(Policies.Manage);
        group.MapGet("/apikeys", ListKeysAsync).WithSummary("Every key of the account, masked (hashes and plaintext never returned)");
        group.MapPost("/apikeys", CreateKeyAsync).WithSummary("Create an account key {name, role: admin|developer|viewer, expiresAt?}; the key is shown once");
        group.MapDelete("/apikeys/{id}", DeleteKeyAsync).WithSummary("action=revoke (default: deactivated, record kept) or action=delete (record removed); 204");
        group.MapDiskSettings();
        group.MapRetentionSettings();
        group.MapAllureSettings();
        return app;
    }

    private static async Task<Results<Ok<SettingsApiKeyDto[]>, JsonHttpResult<ErrorEnvelope>>> ListKeysAsync(HttpContext http, IGrainFactory grains)
    {
        var caller = SeismoCaller.From(http.User);
        if (!caller.IsAccountKey) return ApiError.Forbidden("Settings need an account key");
        var keys = await grains.GetGrain<IAccountGrain>(caller.AccountId).ListKeysAsync(null);
        return TypedResults.Ok(keys.OrderByDescending(k => k.CreatedAt).Select(SettingsApiKeyDto.From).ToArray());
    }

    private static async Task<Results<Created<CreatedSettingsApiKeyDto>, JsonHttpResult<ErrorEnvelope>>> CreateKeyAsync(
        HttpContext http, IGrainFactory grains, TimeProvider clock)
    {
        var caller = SeismoCaller.From(http.User);
        if (!caller.IsAccountKey) return ApiError.Forbidden("Settings need an account key");
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var name = body!.String("name", required: true, maxLength: 200);
        var role = body.Enum<Role>("role", required: true);
        var expiresAt = body.DateTime("expiresAt");
        if (body.Error is not null) return ApiError.Validation(body.Error);
        var now = clock.GetUtcNow();
        if (expiresAt <= now) return ApiError.Validation("expiresAt", "in_past", "Field 'expiresAt' must be in the future");

        // The same key machinery as /api/api-keys: plaintext shown once, SHA-256 stored, authenticated by its hash.
        var plaintext = ApiKeyText.Generate();
        var key = new ApiKeyInfo(Guid.NewGuid(), caller.AccountId, null, name!, role!.Value, ApiKeyText.HashHex(plaintext),
            ApiKeyText.Mask(plaintext), true, expiresAt, null, now, now);
        await grains.GetGrain<IAccountGrain>(caller.AccountId).AddKeyAsync(key);
        return TypedResults.Created($"/api/settings/apikeys/{key.Id}", new CreatedSettingsApiKeyDto(
            key.Id, key.Name, ApiKeysApi.RoleName(key.Role), plaintext, key.MaskedKey, key.IsActive, key.CreatedAt, key.ExpiresAt));
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorEnvelope>>> DeleteKeyAsync(HttpContext http, IGrainFactory grains, string id, string? action)
    {
        var caller = SeismoCaller.From(http.User);
        if (!caller.IsAccountKey) return ApiError.Forbidden("Settings need an account key");
        var remove = action switch
        {
            null or "revoke" => false,
            "delete" => true,
            _ => (bool?)null,
        };
        if (remove is null) return ApiError.Validation("action", "invalid_value", "Query parameter 'action' must be revoke or delete");
        if (!Guid.TryParse(id, out var keyId)) return ApiError.NotFound("API key", id);
        var account = grains.GetGrain<IAccountGrain>(caller.AccountId);
        var found = remove.Value ? await account.RemoveKeyAsync(keyId) : await account.SetKeyActiveAsync(keyId, false) is not null;
        return found ? TypedResults.NoContent() : ApiError.NotFound("API key", id);
    }
}
