using Seismo.Api.Auth;
using Seismo.Grains;

namespace Seismo.Api.Infrastructure;

/// <summary>
/// The endpoint groups of the Euriqa rate-limit table, each with its own per-key bucket. Flakiness (scores of tests,
/// quarantine of a test) counts as tests read and write; project settings as projects.
/// </summary>
public enum RateLimitGroup { RunsRead, RunsWrite, TestsRead, TestsWrite, Uploads, ProjectsTeams, KeysWebhooks }

/// <summary>
/// Per-key request limits per endpoint group (<c>Seismo:RateLimits:&lt;Group&gt;</c>, requests a minute, 0 turns a
/// group off). The defaults are the Euriqa contract's, except test writes: the reporter posts one request per test.
/// The bucket is a grain per key and group, so every API node draws from the same one.
/// </summary>
public sealed class RateLimits(IConfiguration configuration)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static readonly IReadOnlyDictionary<RateLimitGroup, int> Defaults = new Dictionary<RateLimitGroup, int>
    {
        [RateLimitGroup.RunsRead] = 100,
        [RateLimitGroup.RunsWrite] = 30,
        [RateLimitGroup.TestsRead] = 200,
        [RateLimitGroup.TestsWrite] = 10_000,
        [RateLimitGroup.Uploads] = 30,
        [RateLimitGroup.ProjectsTeams] = 60,
        [RateLimitGroup.KeysWebhooks] = 30,
    };

    public int LimitOf(RateLimitGroup group) =>
        configuration.GetValue<int?>($"Seismo:RateLimits:{group}") is { } configured ? Math.Max(0, configured) : Defaults[group];

    /// <summary>An endpoint filter that takes one request from the caller's bucket for <paramref name="group"/>, or answers 429.</summary>
    public static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> Filter(RateLimitGroup group) => async (context, next) =>
    {
        var http = context.HttpContext;
        var limit = http.RequestServices.GetRequiredService<RateLimits>().LimitOf(group);
        if (limit == 0 || SeismoCaller.TryFrom(http.User) is not { } caller) return await next(context);
        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        var decision = await grains.GetGrain<IRateLimitGrain>($"{caller.KeyId:N}/{group}").TakeAsync(limit, Window);
        http.Response.Headers["RateLimit-Limit"] = decision.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Remaining"] = decision.Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Reset"] = decision.ResetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (decision.Allowed) return await next(context);
        http.Response.Headers.RetryAfter = Math.Max(1, decision.RetryAfterSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiError.Of(StatusCodes.Status429TooManyRequests, "RATE_LIMITED",
            $"Rate limit of {decision.Limit} requests a minute for {group} exceeded; retry after {Math.Max(1, decision.RetryAfterSeconds)} s",
            new Dictionary<string, object?> { ["group"] = group.ToString(), ["limit"] = decision.Limit, ["retryAfter"] = Math.Max(1, decision.RetryAfterSeconds) });
    };
}
