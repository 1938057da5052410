using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Grains;
using Seismo.Grains.Hosting;

namespace Seismo.Api.Endpoints;

/// <summary>An account's tier, data-collection switch and plan limit: read with view, changed by an admin account key.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/accounts").WithTags("Accounts").RequireAuthorization(Policies.View);
        group.MapGet("/{id}", GetAsync).WithSummary("The key's own account (view)");
        group.MapPatch("/{id}", PatchAsync).WithSummary("Set tier, dataCollectionEnabled, monthlyObservationLimit, name (manage, account key)")
            .RequireAuthorization(Policies.Manage);
        return app;
    }

    private static async Task<Results<Ok<AccountDto>, JsonHttpResult<ErrorEnvelope>>> GetAsync(
        HttpContext http, IGrainFactory grains, IOptions<SeismoOptions> options, string id)
    {
        var caller = SeismoCaller.From(http.User);
        if (!Guid.TryParse(id, out var accountId) || accountId != caller.AccountId) return ApiError.NotFound("Account", id);
        var account = await grains.GetGrain<IAccountGrain>(accountId).GetAsync();
        return account is null ? ApiError.NotFound("Account", id) : TypedResults.Ok(ToDto(account, options.Value));
    }

    private static async Task<Results<Ok<AccountDto>, JsonHttpResult<ErrorEnvelope>>> PatchAsync(
        HttpContext http, IGrainFactory grains, IOptions<SeismoOptions> options, string id)
    {
        var caller = SeismoCaller.From(http.User);
        if (!Guid.TryParse(id, out var accountId) || accountId != caller.AccountId) return ApiError.NotFound("Account", id);
        if (!caller.IsAccountKey) return ApiError.Forbidden("Only an account key can change the account");
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var patch = new AccountPatch(
            body!.Enum<Tier>("tier"),
            body.Bool("dataCollectionEnabled"),
            body.Integer("monthlyObservationLimit", min: 0),
            body.String("name", maxLength: 200));
        if (body.Error is not null) return ApiError.Validation(body.Error);
        var account = await grains.GetGrain<IAccountGrain>(accountId).PatchAsync(patch);
        return account is null ? ApiError.NotFound("Account", id) : TypedResults.Ok(ToDto(account, options.Value));
    }

    private static AccountDto ToDto(AccountInfo a, SeismoOptions options) => new(
        a.Id, a.Name, a.Tier.ToString().ToLowerInvariant(), a.DataCollectionEnabled, a.MonthlyObservationLimit, a.ObservationsThisMonth,
        options.LimitsFor(a.Tier).HourlyObservations, a.ProjectIds, a.CreatedAt, a.UpdatedAt);
}
