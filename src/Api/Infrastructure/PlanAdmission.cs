using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Grains;

namespace Seismo.Api.Infrastructure;

/// <summary>
/// The answers to an account's admission of one observation (a /collect archive, a reporter's run): the hourly bucket's
/// <c>RateLimit-*</c> headers, and 429 or 402 when it was not admitted.
/// </summary>
public static class PlanAdmission
{
    public static JsonHttpResult<ErrorEnvelope> Refusal(HttpContext http, AdmitDecision admission)
    {
        if (admission.Status == AdmitStatus.RateLimited)
        {
            http.Response.Headers.RetryAfter = admission.ResetSeconds.ToString(CultureInfo.InvariantCulture);
            AddHeaders(http, admission);
            return ApiError.Of(StatusCodes.Status429TooManyRequests, "RATE_LIMITED",
                $"The account's limit of {admission.Limit} observations per hour is reached; retry after {admission.ResetSeconds} s");
        }
        var message = admission.Status == AdmitStatus.CollectionDisabled
            ? "Data collection is disabled for this account"
            : "The account's plan observation limit for this month is reached";
        return ApiError.Of(StatusCodes.Status402PaymentRequired, "PAYMENT_REQUIRED", message, new Dictionary<string, object?>
        {
            ["reason"] = admission.Status == AdmitStatus.CollectionDisabled ? "data_collection_disabled" : "observation_limit_reached",
        });
    }

    public static void AddHeaders(HttpContext http, AdmitDecision admission)
    {
        http.Response.Headers["RateLimit-Limit"] = admission.Limit.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Remaining"] = admission.Remaining.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Reset"] = admission.ResetSeconds.ToString(CultureInfo.InvariantCulture);
    }
}
