using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace Seismo.Grains.Telemetry;

/// <summary>
/// What every Seismo host exposes for operators: the Orleans dashboard's silo and client parts
/// (<c>Seismo:Dashboard</c>) and an OpenTelemetry meter provider exported for Prometheus (<c>Seismo:Metrics</c>).
/// </summary>
public static class TelemetryHosting
{
    public const string DashboardSection = "Seismo:Dashboard";
    public const string MetricsSection = "Seismo:Metrics";

    /// <summary>The meter Orleans publishes its runtime instruments in (activations, grain counts, messaging).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Seismo's meters, Orleans', and the host's HTTP and runtime meters.</summary>
    private static readonly string[] Meters = [SeismoMetrics.MeterName, OrleansMeter, "Microsoft.AspNetCore.Hosting", "System.Runtime"];

    public static bool DashboardEnabled(IConfiguration configuration) => configuration.GetValue($"{DashboardSection}:Enabled", true);

    public static bool MetricsEnabled(IConfiguration configuration) => configuration.GetValue($"{MetricsSection}:Enabled", true);

    /// <summary>
    /// The dashboard's silo part: its grains, the per-silo grain service and the call profiler. Every silo needs it,
    /// also when the dashboard is served by an API node. The live log stream stays off unless
    /// <c>Seismo:Dashboard:HideTrace=false</c>: logs can carry what an operator page should not.
    /// </summary>
    internal static void AddSeismoDashboard(this ISiloBuilder silo)
    {
        if (!DashboardEnabled(silo.Configuration)) return;
        silo.AddDashboard(o => o.HideTrace = true);
        silo.Services.AddOptions<DashboardOptions>().Bind(silo.Configuration.GetSection(DashboardSection));
    }

    /// <summary>The dashboard's client part, for API nodes of a cluster (the silos hold the data).</summary>
    internal static void AddSeismoDashboard(this IClientBuilder client)
    {
        if (!DashboardEnabled(client.Configuration)) return;
        client.AddDashboard(o => o.HideTrace = true);
        client.Services.AddOptions<DashboardOptions>().Bind(client.Configuration.GetSection(DashboardSection));
    }

    /// <summary>
    /// One meter provider with Seismo's and Orleans' instruments and a Prometheus exporter; the host maps the scrape
    /// endpoint. Only this host's meters count: meters another host in the same process made (tests run several)
    /// are dropped, so the figures are this node's own.
    /// </summary>
    public static IHostApplicationBuilder AddSeismoMetricsExporter(this IHostApplicationBuilder builder)
    {
        if (!MetricsEnabled(builder.Configuration)) return builder;
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Meters)
            // Every scrape collects afresh; Prometheus scrapes seconds apart, and a collection takes a lock anyway.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        builder.Services.ConfigureOpenTelemetryMeterProvider((services, provider) =>
            provider.AddView(OnlyFrom(services.GetRequiredService<IMeterFactory>())));
        return builder;
    }

    private static Func<Instrument, MetricStreamConfiguration?> OnlyFrom(IMeterFactory own) =>
        instrument => instrument.Meter.Scope is { } scope && !ReferenceEquals(scope, own) ? MetricStreamConfiguration.Drop : null;
}
