using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Seismo.Grains.Telemetry;

namespace Seismo.Silo;

/// <summary>
/// A silo runs the grains, so grain-side metrics (activations, webhook outcomes, the outbox depth) are its own: with
/// <c>Seismo:MetricsPort</c> set it serves them for Prometheus at <c>http://&lt;silo&gt;:&lt;port&gt;/metrics</c> from
/// a minimal Kestrel of its own. Without the setting the silo opens no HTTP port at all.
/// </summary>
public sealed class SiloMetricsEndpoint(MeterProvider meters, IConfiguration configuration, ILogger<SiloMetricsEndpoint> logger) : IHostedService
{
    public const string PortSetting = "Seismo:MetricsPort";

    private WebApplication? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = configuration.GetValue<int>(PortSetting);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.ListenAnyIP(port));
        _server = builder.Build();
        _server.MapPrometheusScrapingEndpoint("/metrics", meters, null, null);
        await _server.StartAsync(cancellationToken);
        logger.LogInformation("Metrics for Prometheus at http://*:{Port}/metrics", port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null) return;
        await _server.StopAsync(cancellationToken);
        await _server.DisposeAsync();
    }
}

public static class SiloMetricsHosting
{
    /// <summary>Seismo's and Orleans' meters, served on <c>Seismo:MetricsPort</c> when it is set.</summary>
    public static IHostApplicationBuilder AddSeismoSiloMetrics(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<int>(SiloMetricsEndpoint.PortSetting) <= 0 || !TelemetryHosting.MetricsEnabled(builder.Configuration))
            return builder;
        builder.AddSeismoMetricsExporter();
        builder.Services.AddHostedService<SiloMetricsEndpoint>();
        return builder;
    }
}
