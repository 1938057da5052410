using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Seismo.Tests.Live;
using Seismo.Tests.Support;

namespace Seismo.Bench;

/// <summary>
/// Time from the 200 of <c>/collect</c> to the matching <c>run.completed</c> event at an SSE client and at a SignalR
/// client of a real Seismo process, while a background load ingests about 10,000 results/s into another project.
/// </summary>
internal static class LiveLatencyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var probes = options.Int("probes", 400);
        var backgroundRate = options.Int("background", 10_000);
        Console.WriteLine($"Live latency benchmark: {probes} probe runs, background load {backgroundRate:N0} results/s, {Environment.ProcessorCount} cores");

        await using var seismo = await SeismoProcess.StartAsync();

        seismo.DeleteDataDirOnDispose = true;
        using var http = seismo.Client();
        http.Timeout = Timeout.InfiniteTimeSpan;
        var probeProject = await CollectHttp.CreateProjectAsync(http, "latency-probe");
        var loadProject = await CollectHttp.CreateProjectAsync(http, "latency-load");

        var arrivals = new ConcurrentDictionary<string, (long Sse, long Hub)>();
        await using var sse = await SseClient.OpenAsync(http, $"/api/events/stream?projectId={probeProject}");
        var sseReader = Task.Run(async () =>
        {
            while (true)
            {
                SseFrame frame;
                try { frame = await sse.NextAsync(timeoutSeconds: 600); } catch { return; }
                var at = Stopwatch.GetTimestamp();
                var runId = frame.Json.GetProperty("data").GetProperty("runId").GetString()!;
                arrivals.AddOrUpdate(runId, (at, 0), (_, v) => (at, v.Hub));
            }
        });
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(seismo.BaseUrl), "/hubs/live"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(SeismoProcess.AdminKey))
            .Build();
        hub.On<JsonElement>("runCompleted", m =>
        {
            var at = Stopwatch.GetTimestamp();
            var runId = m.GetProperty("data").GetProperty("runId").GetString()!;
            arrivals.AddOrUpdate(runId, (0, at), (_, v) => (v.Sse, at));
        });
        await hub.StartAsync();
        await hub.InvokeAsync("SubscribeProject", probeProject, (long?)null);

        var probeArchive = await SyntheticReports.ArchiveAsync(Enumerable.Range(0, 10).Select(i => new SyntheticCase("com.acme.Probe", $"probe{i}")));
        var loadArchive = await SyntheticReports.ArchiveAsync(Enumerable.Range(0, 1000).Select(i => new SyntheticCase($"com.acme.Load{i % 50}", $"load{i}")));

        // Warm up the path, then measure under load.
        for (var i = 0; i < 50; i++) await CollectHttp.PostAsync(http, probeProject, probeArchive);
        using var stopLoad = new CancellationTokenSource();
        var load = BackgroundLoadAsync(http, loadProject, loadArchive, backgroundRate / 1000.0, stopLoad.Token);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var answered = new List<(string RunId, long Sent, long Answered)>();
        for (var i = 0; i < probes; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            var runId = await CollectHttp.PostAsync(http, probeProject, probeArchive);
            answered.Add((runId, sent, Stopwatch.GetTimestamp()));
            await Task.Delay(25);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        stopLoad.Cancel();
        var (loadResults, loadSeconds) = await load;

        static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
        var sseAfter200 = new List<double>();
        var hubAfter200 = new List<double>();
        var sseAfterSend = new List<double>();
        int sseBefore200 = 0, missing = 0;
        foreach (var (runId, sent, ok) in answered)
        {
            if (!arrivals.TryGetValue(runId, out var at) || at.Sse == 0 || at.Hub == 0) { missing++; continue; }
            // The event is published before the 200 is written, so it can arrive first: that counts as 0 ms.
            if (at.Sse < ok) sseBefore200++;
            sseAfter200.Add(Math.Max(0, Ms(ok, at.Sse)));
            hubAfter200.Add(Math.Max(0, Ms(ok, at.Hub)));
            sseAfterSend.Add(Ms(sent, at.Sse));
        }

        Console.WriteLine();
        Console.WriteLine($"background load: {loadResults / loadSeconds:N0} results/s sustained during the probes");
        Console.WriteLine($"probe runs matched: {sseAfter200.Count} of {probes} ({missing} missing an event); SSE event before the 200: {sseBefore200}");
        Console.WriteLine();
        Console.WriteLine("| path | p50 | p95 | p99 | target |");
        Console.WriteLine("|---|---|---|---|---|");
        Row("200 of /collect → SSE event", sseAfter200);
        Row("200 of /collect → SignalR message", hubAfter200);
        Row("request sent → SSE event (includes the ingest itself)", sseAfterSend, target: false);
        return missing == 0 ? 0 : 1;
    }

    private static void Row(string name, List<double> values, bool target = true)
    {
        var sorted = values.Order().ToList();
        double p50 = Percentiles.Of(sorted, 50), p95 = Percentiles.Of(sorted, 95), p99 = Percentiles.Of(sorted, 99);
        var verdict = !target ? "(info)" : p50 <= 10 && p99 <= 50 ? "p50 ≤ 10 ms, p99 ≤ 50 ms: met" : "p50 ≤ 10 ms, p99 ≤ 50 ms: NOT met";
        Console.WriteLine($"| {name} | {p50:F2} ms | {p95:F2} ms | {p99:F2} ms | {verdict} |");
    }

    /// <summary>Posts 1,000-test archives at <paramref name="archivesPerSecond"/>, paced, until cancelled.</summary>
    private static async Task<(long Results, double Seconds)> BackgroundLoadAsync(HttpClient http, string project, byte[] archive,
        double archivesPerSecond, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        long sent = 0;
        var inFlight = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            var due = TimeSpan.FromSeconds(sent / archivesPerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try { await Task.Delay(due, stop); } catch (OperationCanceledException) { break; }
            }
            inFlight.Add(CollectHttp.PostAsync(http, project, archive));
            sent++;
            inFlight.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(inFlight);
        return (sent * 1000, clock.Elapsed.TotalSeconds);
    }
}
