using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Seismo.Api.Auth;
using Seismo.Api.Infrastructure;
using Seismo.Grains.Hosting;

namespace Seismo.Api.Endpoints;

[WireCasing(Casing.CamelCase)]
public sealed record SiloDto(string Address, string Status, int? Activations, int? RecentlyUsedActivations, double? CpuUsage);

[WireCasing(Casing.CamelCase)]
public sealed record ClusterDto(string Mode, SiloDto[] Silos);

[WireCasing(Casing.CamelCase)]
public sealed record HealthCheckDto(string Status, string? Description, Dictionary<string, string> Data);

[WireCasing(Casing.CamelCase)]
public sealed record HealthReportDto(string Status, Dictionary<string, HealthCheckDto> Checks);

[JsonSerializable(typeof(ClusterDto))]
[JsonSerializable(typeof(HealthReportDto))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;

/// <summary>The cluster as this node sees it: <c>/health</c> for probes and load balancers, <c>/api/cluster</c> for operators.</summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteHealthAsync }).AllowAnonymous();
        app.MapGet("/api/cluster", GetAsync).WithTags("System").RequireAuthorization(Policies.Manage)
            .WithSummary("Silos with their membership status and activation counts (manage)");
        return app;
    }

    private static async Task<Results<Ok<ClusterDto>, JsonHttpResult<ErrorEnvelope>>> GetAsync(IGrainFactory grains, IOptions<SeismoOptions> options)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: false);
        var active = hosts.Where(h => h.Value == SiloStatus.Active).Select(h => h.Key).ToArray();
        var statistics = active.Length == 0 ? [] : await management.GetRuntimeStatistics(active);
        var byAddress = active.Zip(statistics).ToDictionary(p => p.First, p => p.Second);
        var silos = hosts.OrderBy(h => h.Key.ToParsableString(), StringComparer.Ordinal)
            .Select(h => byAddress.TryGetValue(h.Key, out var s)
                // The filtered CPU figure is the one Orleans' resource-optimized placement scores silos by.
                ? new SiloDto(h.Key.ToParsableString(), h.Value.ToString(), s.ActivationCount, s.RecentlyUsedActivationCount,
                    Math.Round(s.EnvironmentStatistics.FilteredCpuUsagePercentage, 1))
                : new SiloDto(h.Key.ToParsableString(), h.Value.ToString(), null, null, null))
            .ToArray();
        return TypedResults.Ok(new ClusterDto(options.Value.Mode.ToString(), silos));
    }

    // {"status":"Healthy","checks":{"membership":{"status":"Healthy","description":"…","data":{…}},…}}; 503 unless healthy.
    private static Task WriteHealthAsync(HttpContext http, HealthReport report)
    {
        if (report.Status != HealthStatus.Healthy) http.Response.Headers.RetryAfter = "5";
        var body = new HealthReportDto(report.Status.ToString(), report.Entries.ToDictionary(e => e.Key, e => new HealthCheckDto(
            e.Value.Status.ToString(), e.Value.Description, e.Value.Data.ToDictionary(d => d.Key, d => d.Value.ToString() ?? ""))));
        return http.Response.WriteAsJsonAsync(body, SeismoJson.Options);
    }
}
