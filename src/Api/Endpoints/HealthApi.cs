using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

[WireCasing(Casing.CamelCase)]
public sealed record HealthResponse(string Status);

[WireCasing(Casing.CamelCase)]
public sealed record VersionResponse(string Version, string BuildTime, string Runtime);

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/healthz", HealthAsync).WithTags("System").WithSummary("200 once the silo accepts calls (no auth)").AllowAnonymous();
        app.MapGet("/api/version", Version).WithTags("System").WithSummary("Version, build time and runtime (no auth)").AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<ErrorEnvelope>>> HealthAsync(IGrainFactory grains, CancellationToken ct)
    {
        try
        {
            var ready = await grains.GetGrain<IBootstrapGrain>(0).IsReadyAsync().WaitAsync(TimeSpan.FromSeconds(5), ct);
            return ready ? TypedResults.Ok(new HealthResponse("ok")) : ApiError.Unavailable("Seismo is still starting");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ApiError.Unavailable("The silo is not accepting calls yet");
        }
    }

    private static Ok<VersionResponse> Version()
    {
        var assembly = typeof(HealthApi).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+');
        var version = plus < 0 ? informational : informational[..plus];
        var built = plus < 0 ? File.GetLastWriteTimeUtc(assembly.Location).ToString("O") : informational[(plus + 1)..];
        return TypedResults.Ok(new VersionResponse(version, built, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription));
    }
}
