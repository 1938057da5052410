using Microsoft.AspNetCore.Diagnostics;
using Scalar.AspNetCore;
using Seismo.Api.Auth;
using Seismo.Grains.Storage;

namespace Seismo.Api.Infrastructure;

/// <summary>Cross-cutting defaults in one place: address, JSON, errors, auth, OpenAPI.</summary>
public static class SeismoDefaults
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplicationBuilder AddSeismoDefaults(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls(DefaultUrl);
        builder.Services.ConfigureHttpJsonOptions(o => SeismoJson.Configure(o.SerializerOptions));
        builder.Services.AddSeismoAuth();
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Seismo API";
            doc.Info.Description = "Real-time CI test analytics. Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>`.";
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseSeismoDefaults(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(WriteUnhandledAsync));
        app.UseStatusCodePages(WriteStatusCodeAsync);
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Seismo API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }

    // Errors that escape an endpoint: bad requests the framework caught, storage and cluster outages, bugs.
    private static Task WriteUnhandledAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = Classify(error);
        if (result.StatusCode == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "5";
        return result.ExecuteAsync(context);
    }

    internal static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<ErrorEnvelope> Classify(Exception? error) => error switch
    {
        BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            ApiError.Of(413, "PAYLOAD_TOO_LARGE", "The request body is too large"),
        BadHttpRequestException bad => ApiError.Of(bad.StatusCode, "BAD_REQUEST", bad.Message),
        // A database error that reached here unwrapped (e.g. from Orleans' own ADO.NET grain storage) is an outage.
        StorageUnavailableException or System.Data.Common.DbException =>
            ApiError.Unavailable("Storage is temporarily unavailable; retry with back-off"),
        Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException or TimeoutException
            or Orleans.Runtime.OrleansException =>
            ApiError.Unavailable("The cluster is temporarily unavailable; retry with back-off"),
        _ => ApiError.Of(StatusCodes.Status500InternalServerError, "INTERNAL_ERROR", "Unexpected server error"),
    };

    // Bare status codes from routing or the framework (404 for unknown routes, 405) get the JSON body too.
    private static Task WriteStatusCodeAsync(StatusCodeContext context)
    {
        var status = context.HttpContext.Response.StatusCode;
        var code = status switch { 404 => "NOT_FOUND", 405 => "METHOD_NOT_ALLOWED", 415 => "UNSUPPORTED_MEDIA_TYPE", _ => "ERROR" };
        var message = status switch
        {
            404 => $"No route matches {context.HttpContext.Request.Path}",
            405 => $"{context.HttpContext.Request.Method} is not allowed here",
            _ => $"Request failed with status {status}",
        };
        return ApiError.Of(status, code, message).ExecuteAsync(context.HttpContext);
    }
}
