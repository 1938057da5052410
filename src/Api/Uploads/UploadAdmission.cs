using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Uploads;

/// <summary>An upload the account's plan or hourly bucket does not admit, in the upload routes' error shape.</summary>
public static class UploadAdmission
{
    public static string Reason(AdmitDecision admission) => admission.Status switch
    {
        AdmitStatus.CollectionDisabled => "data_collection_disabled",
        AdmitStatus.RateLimited => "rate_limited",
        _ => "observation_limit_reached",
    };

    public static string Message(AdmitDecision admission) => admission.Status switch
    {
        AdmitStatus.CollectionDisabled => "Data collection is disabled for this account",
        AdmitStatus.RateLimited => $"The account's limit of {admission.Limit} observations per hour is reached; retry after {admission.ResetSeconds} s",
        _ => "The account's plan observation limit for this month is reached",
    };

    /// <summary>402 for the plan (or collection switched off), 429 with Retry-After for the hourly bucket.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<ErrorEnvelope> Error(HttpContext http, AdmitDecision admission)
    {
        var details = new Dictionary<string, object?> { ["reason"] = Reason(admission) };
        if (admission.Status != AdmitStatus.RateLimited)
            return ApiError.Of(StatusCodes.Status402PaymentRequired, "PAYMENT_REQUIRED", Message(admission), details);
        http.Response.Headers.RetryAfter = admission.ResetSeconds.ToString();
        return ApiError.Of(StatusCodes.Status429TooManyRequests, "RATE_LIMITED", Message(admission), details);
    }
}
