using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Security;
using Seismo.Grains;

namespace Seismo.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-API-Key: &lt;key&gt;</c> (or a query key on the live
/// routes, see <see cref="QueryKey"/>): one call to the key's
/// grain, addressed by the key's SHA-256. Challenges and refusals answer with Seismo's JSON error body.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ReadKey(Request) is not { } key) return AuthenticateResult.NoResult();
        var info = await grains.GetGrain<IApiKeyGrain>(ApiKeyText.HashHex(key)).AuthenticateAsync();
        if (info is null) return AuthenticateResult.Fail("unknown, inactive or expired key");
        var caller = new SeismoCaller(info.Id, info.AccountId, info.ProjectId, info.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
    }

    // The RunWatch and CircleCI routes answer in their own contracts' error bodies.
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        (Endpoints.PipelineWire.ErrorFor(Request.Path, 401, "Invalid or missing API key") ?? ApiError.Unauthorized()).ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        (Endpoints.PipelineWire.ErrorFor(Request.Path, 403, "This key's role does not allow this action")
            ?? ApiError.Forbidden("This key's role does not allow this action")).ExecuteAsync(Context);

    internal static string? ReadKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim() is { Length: > 0 } bearer ? bearer : null;
        if (request.Headers["X-API-Key"].ToString() is { Length: > 0 } apiKey) return apiKey.Trim();
        // CircleCI's clients send their token as Circle-Token.
        if (request.Headers["Circle-Token"].ToString() is { Length: > 0 } circleToken) return circleToken.Trim();
        return QueryKey(request);
    }

    /// <summary>
    /// Browsers cannot set headers on an EventSource or a WebSocket: the SSE streams take <c>?key=</c> and the SignalR
    /// hub <c>?access_token=</c>; a static report (<c>/reports/…</c>) and the Orleans dashboard (<c>/dashboard</c>) take
    /// <c>?key=</c> once, then their cookie. Nothing else reads a key from the URL (URLs end up in logs).
    /// </summary>
    private static string? QueryKey(HttpRequest request)
    {
        if (request.Path.StartsWithSegments(SeismoObservability.DashboardPath) && HttpMethods.IsGet(request.Method))
            return request.Query["key"].ToString() is { Length: > 0 } dashboardKey ? dashboardKey.Trim()
                : request.Cookies[SeismoObservability.DashboardCookie] is { Length: > 0 } dashboardCookie ? dashboardCookie : null;
        var path = request.Path.Value ?? "";
        var report = HttpMethods.IsGet(request.Method) && path.StartsWith("/reports/", StringComparison.Ordinal);
        var name = path.StartsWith("/hubs/", StringComparison.OrdinalIgnoreCase) ? "access_token"
            : HttpMethods.IsGet(request.Method) && path.EndsWith("/stream", StringComparison.OrdinalIgnoreCase) ? "key"
            : report ? "key"
            : null;
        if (name is not null && request.Query[name].ToString() is { Length: > 0 } key) return key.Trim();
        // A static report's pages load their scripts and data without the key: the report route sets it as a cookie.
        return report && request.Cookies[Endpoints.ReportsApi.ReportCookie] is { Length: > 0 } cookie ? cookie : null;
    }
}

/// <summary>Authorization policies named after the permission they require.</summary>
public static class Policies
{
    public const string View = "view";
    public const string Upload = "upload";
    public const string Manage = "manage";

    public static IServiceCollection AddSeismoAuth(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(View, p => p.RequireAssertion(c => SeismoCaller.TryFrom(c.User)?.Has(Permission.View) == true))
            .AddPolicy(Upload, p => p.RequireAssertion(c => SeismoCaller.TryFrom(c.User)?.Has(Permission.Upload) == true))
            .AddPolicy(Manage, p => p.RequireAssertion(c => SeismoCaller.TryFrom(c.User)?.Has(Permission.Manage) == true));
        return services;
    }
}
