using System.Diagnostics.Metrics;

namespace Seismo.Grains.Telemetry;

/// <summary>
/// Seismo's own instruments, in one <see cref="Meter"/> named <c>Seismo</c> made by the host's
/// <see cref="IMeterFactory"/> (so two hosts in one process keep their figures apart). Counters are recorded where
/// the thing happens; gauges read state their owners already keep, when a scrape asks.
/// </summary>
public sealed class SeismoMetrics
{
    public const string MeterName = "Seismo";

    public const string IngestRuns = "seismo.ingest.runs";
    public const string IngestResults = "seismo.ingest.results";
    public const string FanOutPending = "seismo.fanout.pending_runs";
    public const string UploadsProcessing = "seismo.uploads.processing";
    public const string WebhookOutboxPending = "seismo.webhooks.outbox_pending";
    public const string WebhookDeliveries = "seismo.webhooks.deliveries";
    public const string LiveSubscribers = "seismo.live.subscribers";
    public const string LiveDeliveryLatency = "seismo.live.delivery_latency";

    // Live delivery is expected within milliseconds; the long tail shows a slow client or a congested node.
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter<long> _runs;
    private readonly Counter<long> _results;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Histogram<double> _liveLatency;
    private readonly Meter _meter;

    public SeismoMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _runs = _meter.CreateCounter<long>(IngestRuns, description: "Runs accepted, by entry point (collect, reporter, upload, pipeline)");
        _results = _meter.CreateCounter<long>(IngestResults, description: "Test results (pipeline: jobs) in the runs accepted, by entry point");
        _webhookDeliveries = _meter.CreateCounter<long>(WebhookDeliveries,
            description: "Webhook delivery outcomes: delivered, failed, refused, cancelled (final) and retried (one per retry scheduled)");
        _liveLatency = _meter.CreateHistogram(LiveDeliveryLatency, unit: "s",
            description: "Time from a live event's creation to its delivery to an SSE stream or the SignalR hub, by transport",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    /// <summary>A run and its results accepted through an entry point.</summary>
    public void RunAccepted(string entryPoint, int results)
    {
        var tag = new KeyValuePair<string, object?>("entry_point", entryPoint);
        _runs.Add(1, tag);
        _results.Add(results, tag);
    }

    /// <summary>The entry point a run came through, from the source its metadata records.</summary>
    public static string EntryPointOf(string source) => source switch
    {
        "euriqa" => "reporter",
        _ => source,
    };

    public void WebhookOutcome(string outcome) => _webhookDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void LiveDelivered(string transport, DateTimeOffset created, DateTimeOffset now) =>
        _liveLatency.Record(Math.Max(0, (now - created).TotalSeconds), new KeyValuePair<string, object?>("transport", transport));

    /// <summary>A queue depth read from its owner's state whenever metrics are collected.</summary>
    public void ObserveDepth(string name, Func<long> read, string description) =>
        _meter.CreateObservableGauge(name, read, description: description);
}
