using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Bench;

/// <summary>
/// Posts realistic collect archives (1,000 tests each, some failing, some retried) concurrently to a running Seismo
/// on loopback, and measures in the same run the two ceilings it is compared with: the in-process decompress + parse
/// rate of the same archives, and the Orleans one-way messaging rate of the same hosting.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var archiveCount = options.Int("archives", 10_000);
        var testsPerArchive = options.Int("tests", 1000);
        var concurrency = options.Int("concurrency", 8);

        Console.WriteLine($"Ingest benchmark: {archiveCount} archives x {testsPerArchive} tests, concurrency {concurrency}, {Environment.ProcessorCount} cores");
        var archives = await BuildArchivesAsync(16, testsPerArchive);
        Console.WriteLine($"archive size: {archives.Average(a => a.Length) / 1024:F0} KiB compressed");

        // --no-ceilings skips the two in-process ceilings: for profiling the load alone.
        var ceilings = !args.Contains("--no-ceilings");
        var parse = ceilings ? ParseCeiling.Measure(archives, TimeSpan.FromSeconds(5)) : new ParseCeiling.Result(double.NaN, double.NaN);
        var messaging = ceilings ? await MessagingCeiling.MeasureAsync(TimeSpan.FromSeconds(3)) : double.NaN;

        await using var seismo = await SeismoProcess.StartAsync(environment: new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" });

        seismo.DeleteDataDirOnDispose = true;
        var load = await PostAllAsync(seismo.BaseUrl, SeismoProcess.AdminKey, () => [seismo.ProcessorTime], archives, archiveCount, concurrency);
        var writes = await StorageCounter.CountAsync(seismo);

        var resultsPerSecond = load.Archives * testsPerArchive / load.Seconds;
        var accepted = load.Latencies.Order().ToList();
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| archives ingested (all processed) | {load.Archives} in {load.Seconds:F1} s |");
        Console.WriteLine($"| archives/s | {load.Archives / load.Seconds:F1} |");
        Console.WriteLine($"| results/s (accepted and applied by the test grains) | {resultsPerSecond:N0} |");
        Console.WriteLine($"| /collect latency p50 / p99 | {Percentiles.Of(accepted, 50):F1} ms / {Percentiles.Of(accepted, 99):F1} ms |");
        Console.WriteLine($"| CPU: Seismo / load generator | {load.ServerCpu.TotalSeconds:F1} s / {load.GeneratorCpu.TotalSeconds:F1} s of {2 * load.Seconds:F1} core-seconds |");
        Console.WriteLine($"| Seismo CPU per 1,000 results | {load.ServerCpu.TotalMilliseconds / (load.Archives * testsPerArchive / 1000.0):F1} ms |");
        Console.WriteLine($"| storage writes per run (run log + grain state, incl. final flush) | {writes.Total / (double)writes.Runs:F2} ({writes.RunRows} run rows, {writes.GrainWrites} grain writes) |");
        Console.WriteLine($"| ceiling: raw decompress + XML read, 2 threads | {parse.RawResultsPerSecond:N0} results/s |");
        Console.WriteLine($"| ceiling: Seismo's archive parser (validation + JUnit + keys), 2 threads | {parse.FullResultsPerSecond:N0} results/s |");
        Console.WriteLine($"| ceiling: Orleans one-way calls to distinct grains (best of 3 rounds) | {messaging:N0} calls/s |");
        Console.WriteLine($"| ratio to raw parse ceiling | {resultsPerSecond / parse.RawResultsPerSecond:P1} |");
        Console.WriteLine($"| ratio to Seismo parser ceiling | {resultsPerSecond / parse.FullResultsPerSecond:P1} |");
        Console.WriteLine($"| ratio to messaging ceiling | {resultsPerSecond / messaging:P1} |");
        return load.Errors == 0 ? 0 : 1;
    }

    /// <summary>Archives of <paramref name="tests"/> tests (2% failing, 1% passing after retries), in a few variants.</summary>
    internal static async Task<List<byte[]>> BuildArchivesAsync(int variants, int tests)
    {
        var list = new List<byte[]>();
        for (var v = 0; v < variants; v++)
        {
            var random = new Random(v);
            var cases = Enumerable.Range(0, tests).Select(i =>
            {
                var roll = random.NextDouble();
                var (outcome, reruns) = roll switch { < 0.02 => ("failed", 0), < 0.03 => ("passed", 2), < 0.05 => ("skipped", 0), _ => ("passed", 0) };
                return new SyntheticCase($"com.acme.module{i % 40}.Feature{i % 97}Test", $"test_{i}_behaves", outcome, random.NextDouble() / 10, reruns);
            });
            var env = new Dictionary<string, string> { ["CI"] = "true", ["GITHUB_ACTIONS"] = "true", ["GITHUB_SHA"] = $"{v:x8}cafe", ["GITHUB_REF_NAME"] = "main", ["GITHUB_RUN_ID"] = v.ToString() };
            list.Add(await SyntheticReports.ArchiveAsync(cases, returnCode: 1, env: env));
        }
        return list;
    }

    private static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(5);

    /// <summary>A measured load; <paramref name="ProcessCpu"/> is the CPU each Seismo process used meanwhile.</summary>
    internal sealed record LoadResult(int Archives, double Seconds, List<double> Latencies, int Errors, TimeSpan[] ProcessCpu, TimeSpan GeneratorCpu)
    {
        public TimeSpan ServerCpu => ProcessCpu.Aggregate(TimeSpan.Zero, (sum, t) => sum + t);
    }

    /// <summary>
    /// The load: a warm-up, then <paramref name="count"/> archives posted by <paramref name="concurrency"/> clients to
    /// <paramref name="projects"/> projects (the default one first) of the Seismo at <paramref name="baseUrl"/>, in turn,
    /// timed until every observation is processed.
    /// </summary>
    internal static async Task<LoadResult> PostAllAsync(string baseUrl, string adminKey, Func<TimeSpan[]> processCpu, List<byte[]> archives, int count, int concurrency, int projects = 1)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var projectIds = new List<string> { await CollectHttp.DefaultProjectAsync(http) };
        while (projectIds.Count < projects) projectIds.Add(await CollectHttp.CreateProjectAsync(http, $"bench-{projectIds.Count}"));

        // Warm up: tiered JIT needs a few thousand calls of each hot method and then time on its background thread
        // before it settles on optimised code, and the test grains must be active. So the warm-up is a share of the
        // archives and at least WarmupTime, however fast they go. Measured numbers are for the sustained state that follows.
        var warmup = Math.Max(100, count / 5);
        var warmupClock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
        {
            for (var i = w; i < warmup || warmupClock.Elapsed < WarmupTime; i += concurrency) await CollectHttp.TryPostAsync(http, projectIds[i % projectIds.Count], archives[i % archives.Count]);
        }));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var latencies = new List<double>(count);
        var ids = new List<string>(count);
        var errors = 0;
        var next = -1;
        var processCpuBefore = processCpu();
        var generatorCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                var id = await CollectHttp.TryPostAsync(http, projectIds[i % projectIds.Count], archives[i % archives.Count]);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(ms);
                    if (id is not null) ids.Add(id); else errors++;
                }
            }
        }));
        // Sustained means applied by the test grains, not only accepted: wait until every observation is processed.
        foreach (var id in ids)
        {
            while (true)
            {
                var status = await http.GetFromJsonAsync<JsonElement>($"/api/observations/{id}");
                if (status.GetProperty("status").GetString() != "pending") break;
                await Task.Delay(5);
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        if (errors > 0) Console.Error.WriteLine($"{errors} requests failed");
        return new LoadResult(ids.Count, seconds, latencies, errors, processCpu().Zip(processCpuBefore, (after, before) => after - before).ToArray(),
            Process.GetCurrentProcess().TotalProcessorTime - generatorCpu);
    }
}
