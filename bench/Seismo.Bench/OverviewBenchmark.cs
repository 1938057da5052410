using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Bench;

/// <summary>
/// GET /api/overview latency as the history grows: a Seismo process receives runs through /collect in steps
/// (100, 1,000, 5,000 runs by default, spread over 5 projects), and after each step the overview is read over
/// loopback. The overview is composed from aggregates kept on write, so its cost should not follow the history.
/// </summary>
internal static class OverviewBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        int[] steps = [options.Int("small", 100), options.Int("medium", 1000), options.Int("large", 5000)];
        var calls = options.Int("calls", 300);
        var testsPerRun = options.Int("tests", 20);
        const int projects = 5;
        Console.WriteLine($"GET /api/overview after N runs ({testsPerRun} tests each, {projects} projects), {calls} calls per step; shared 2-core machine");

        await using var seismo = await SeismoProcess.StartAsync();

        seismo.DeleteDataDirOnDispose = true;
        using var http = seismo.Client();
        var projectIds = new List<string> { await CollectHttp.DefaultProjectAsync(http) };
        for (var p = 1; p < projects; p++) projectIds.Add(await CollectHttp.CreateProjectAsync(http, $"overview-{p}"));
        var archives = await Task.WhenAll(Enumerable.Range(0, 8).Select(v => ArchiveAsync(v, testsPerRun)));

        Console.WriteLine("| runs in history | p50 | p99 | mean | response bytes |");
        Console.WriteLine("|---|---|---|---|---|");
        var posted = 0;
        var results = new List<(int Runs, double P50, double P99)>();
        foreach (var target in steps)
        {
            var from = posted;
            await Parallel.ForEachAsync(Enumerable.Range(from, target - from), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (i, _) => await CollectHttp.PostAsync(http, projectIds[i % projects], archives[i % archives.Length]));
            posted = target;
            await WaitForBuildsAsync(http, target);

            for (var w = 0; w < 20; w++) await http.GetStringAsync("/api/overview");
            var ms = new List<double>(calls);
            long bytes = 0;
            for (var c = 0; c < calls; c++)
            {
                var started = Stopwatch.GetTimestamp();
                var body = await http.GetByteArrayAsync("/api/overview");
                ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                bytes = body.Length;
            }
            ms.Sort();
            var (p50, p99) = (Percentiles.Of(ms, 50), Percentiles.Of(ms, 99));
            results.Add((target, p50, p99));
            Console.WriteLine($"| {target:N0} | {p50:F2} ms | {p99:F2} ms | {ms.Average():F2} ms | {bytes:N0} |");
        }
        await seismo.StopGracefullyAsync();

        var (small, large) = (results[0], results[^1]);
        Console.WriteLine($"history grew {large.Runs / (double)small.Runs:F0}x; p50 ratio (largest / smallest history) {large.P50 / small.P50:F2}, " +
            $"p99 ratio {large.P99 / small.P99:F2}");
        return 0;
    }

    // Runs reach the overview right after they are stored (one one-way call each): wait until all are counted.
    private static async Task WaitForBuildsAsync(HttpClient http, int runs)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var overview = await http.GetFromJsonAsync<JsonElement>("/api/overview");
            var builds = overview.GetProperty("summary").GetProperty("totalBuilds").GetInt64();
            if (builds >= runs) return;
            if (deadline.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"overview counted {builds} of {runs} runs");
            await Task.Delay(50);
        }
    }

    private static Task<byte[]> ArchiveAsync(int variant, int tests)
    {
        var cases = Enumerable.Range(0, tests).Select(t => new SyntheticCase($"com.acme.Overview{t % 4}", $"test_{t}",
            (t + variant) % 7 == 0 ? "failed" : (t + variant) % 11 == 0 ? "skipped" : "passed")).ToList();
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_REF"] = "refs/heads/main", ["GITHUB_RUN_ID"] = $"{variant}" };
        return SyntheticReports.ArchiveAsync(cases, returnCode: cases.Any(c => c.Outcome == "failed") ? 1 : 0, env: env);
    }
}
