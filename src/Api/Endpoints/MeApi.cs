using Seismo.Api.Auth;
using Seismo.Api.Infrastructure;
using Seismo.Grains;
using System.Text.Json.Serialization;

namespace Seismo.Api.Endpoints;

/// <summary>Who the key is: the dashboard checks a key at sign-in and hides actions its role does not allow.</summary>
public static class MeApi
{
    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", (HttpContext http) =>
        {
            var caller = SeismoCaller.From(http.User);
            return TypedResults.Ok(new MeDto(caller.KeyId, caller.AccountId, caller.ProjectId, caller.Role.ToString().ToLowerInvariant(),
                caller.Has(Permission.Upload), caller.Has(Permission.Manage)));
        }).WithTags("Auth").RequireAuthorization(Policies.View)
            .WithSummary("The calling key: keyId, accountId, projectId (project keys), role, canUpload, canManage (view)");
        return app;
    }
}

[WireCasing(Casing.CamelCase)]
public sealed record MeDto(Guid KeyId, Guid AccountId, Guid? ProjectId, string Role, bool CanUpload, bool CanManage);

[JsonSerializable(typeof(MeDto))]
public sealed partial class MeJsonContext : JsonSerializerContext;
