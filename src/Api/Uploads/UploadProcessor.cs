using System.Collections.Concurrent;
using Seismo.Grains.Telemetry;

namespace Seismo.Api.Uploads;

/// <summary>
/// Runs completed chunked uploads in the background (the client has its 202). On shutdown it waits for what is in
/// flight; a session cut off by a crash stays in its phase and can be deleted and sent again.
/// </summary>
public sealed class UploadProcessor(SeismoMetrics metrics, ILogger<UploadProcessor> logger) : IHostedService
{
    private readonly ConcurrentDictionary<Guid, Task> _inFlight = Observed(metrics);

    private static ConcurrentDictionary<Guid, Task> Observed(SeismoMetrics metrics)
    {
        var inFlight = new ConcurrentDictionary<Guid, Task>();
        metrics.ObserveDepth(SeismoMetrics.UploadsProcessing, () => inFlight.Count,
            "Completed chunked uploads this API node is assembling and ingesting in the background");
        return inFlight;
    }

    public void Start(Guid sessionId, Func<CancellationToken, Task> work)
    {
        // One session may have several steps in flight (ingest, then extraction for its report).
        var id = Guid.NewGuid();
        _inFlight[id] = Task.Run(async () =>
        {
            try { await work(CancellationToken.None); }
            catch (Exception e) { logger.LogError(e, "Upload {Session} failed in the background", sessionId); }
            finally { _inFlight.TryRemove(id, out _); }
        });
    }

    /// <summary>Completes when every upload handed over so far is processed (tests and benchmarks).</summary>
    public async Task DrainAsync()
    {
        while (_inFlight.Values.ToArray() is { Length: > 0 } running) await Task.WhenAll(running);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => DrainAsync().WaitAsync(cancellationToken);
}

public static class UploadServices
{
    public static WebApplicationBuilder AddSeismoUploads(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UploadIngestor>();
        builder.Services.AddSingleton<UploadProcessor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UploadProcessor>());
        return builder;
    }
}
