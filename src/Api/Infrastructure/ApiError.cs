using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Seismo.Api.Infrastructure;

/// <summary>The one error body of Seismo's own, Euriqa, report-server and collect routes.</summary>
public sealed record ErrorEnvelope([property: JsonPropertyName("error")] ErrorBody Error);

public sealed record ErrorBody(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object?>? Details);

/// <summary>Builds error results: status, a code clients can switch on, a message naming the field.</summary>
public static class ApiError
{
    public static JsonHttpResult<ErrorEnvelope> Of(int status, string code, string message, IReadOnlyDictionary<string, object?>? details = null) =>
        TypedResults.Json(new ErrorEnvelope(new ErrorBody(code, message, details)), SeismoJson.Options, statusCode: status);

    public static JsonHttpResult<ErrorEnvelope> Validation(string field, string reason, string? message = null) =>
        Of(StatusCodes.Status400BadRequest, "VALIDATION_ERROR", message ?? DefaultMessage(field, reason),
            new Dictionary<string, object?> { ["field"] = field, ["reason"] = reason });

    public static JsonHttpResult<ErrorEnvelope> Validation(FieldError error) => Validation(error.Field, error.Reason, error.Message);

    public static JsonHttpResult<ErrorEnvelope> Unauthorized(string message = "A valid API key is required (Authorization: Bearer <key> or X-API-Key)") =>
        Of(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", message);

    public static JsonHttpResult<ErrorEnvelope> Forbidden(string message) => Of(StatusCodes.Status403Forbidden, "FORBIDDEN", message);

    public static JsonHttpResult<ErrorEnvelope> NotFound(string what, string id) =>
        Of(StatusCodes.Status404NotFound, "NOT_FOUND", $"{what} '{id}' was not found");

    public static JsonHttpResult<ErrorEnvelope> Unavailable(string message) => Of(StatusCodes.Status503ServiceUnavailable, "SERVICE_UNAVAILABLE", message);

    private static string DefaultMessage(string field, string reason) => reason switch
    {
        "required" => $"Field '{field}' is required",
        _ => $"Field '{field}' is invalid: {reason}",
    };
}

/// <summary>A problem with one field of a request: what the client needs to fix it.</summary>
public sealed record FieldError(string Field, string Reason, string Message);
