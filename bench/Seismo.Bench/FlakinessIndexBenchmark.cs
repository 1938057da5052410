using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Grains;
using Seismo.Grains.Projects;
using Seismo.Tests.Support;

namespace Seismo.Bench;

/// <summary>
/// The flakiness index of a project of 100,000 tests: (a) in process, the cost of a report and of the typical reads
/// against sorting every row per query, measured in the same run; (b) end to end, a Seismo process holding a project
/// of that many tests, and the latency of <c>GET /api/flakiness</c> for the same reads over HTTP.
/// </summary>
internal static class FlakinessIndexBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var testCount = options.Int("tests", 100_000);
        var rounds = options.Int("rounds", 10);
        var calls = options.Int("calls", 50);
        Console.WriteLine($"Flakiness index benchmark: {testCount:N0} tests, {Environment.ProcessorCount} cores (shared: expect noise)");
        Console.WriteLine();
        InProcess(testCount);
        return await EndToEndAsync(testCount, rounds, calls);
    }

    private static void InProcess(int testCount)
    {
        var random = new Random(7);
        var rows = new Dictionary<string, TestLive>(testCount);
        var hashes = new string[testCount];
        var index = new FlakinessIndex();
        for (var i = 0; i < testCount; i++)
        {
            hashes[i] = random.NextInt64().ToString("x16");
            var live = RandomRow(random);
            rows[hashes[i]] = live;
            index.Add(hashes[i], live);
        }
        Console.WriteLine($"(a) in process: FlakinessIndex of {index.Count:N0} rows; {index.FlakyTests:N0} FLAKY, {index.QuarantinedTests:N0} quarantined, " +
            $"{index.AtLeast(0.3).Count():N0} scoring >= 0.3");

        // Reports: a test's score drifts with each result, and now and then its label or quarantine moves.
        const int reports = 1_000_000;
        var revisions = new long[testCount];
        var pending = new (string Hash, FlakinessReport Report)[reports];
        for (var r = 0; r < reports; r++)
        {
            var t = random.Next(testCount);
            var next = RandomRow(random);
            pending[r] = (hashes[t], new FlakinessReport(hashes[t], ++revisions[t] + 1, next.Score, next.Label, next.FlakyRuns, null, next.IsQuarantined));
        }
        for (var r = 0; r < 50_000; r++) index.Apply(pending[r].Hash, rows[pending[r].Hash], pending[r].Report); // warm-up
        var clock = Stopwatch.StartNew();
        for (var r = 50_000; r < reports; r++) index.Apply(pending[r].Hash, rows[pending[r].Hash], pending[r].Report);
        var applyMicros = clock.Elapsed.TotalMicroseconds / (reports - 50_000);

        // The naive alternative: every query sorts all rows by score (highest first), then filters or takes.
        List<(double Score, string Hash)> SortAll(Func<TestLive, bool>? where = null)
        {
            var list = new List<(double Score, string Hash)>(rows.Count);
            foreach (var (hash, live) in rows) if (where is null || where(live)) list.Add((live.Score, hash));
            list.Sort((x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : string.CompareOrdinal(x.Hash, y.Hash));
            return list;
        }
        var queries = new (string Name, Func<int> Index, Func<int> Naive)[]
        {
            ("minScore 0.3", () => index.AtLeast(0.3).Count(), () => SortAll().TakeWhile(r => r.Score >= 0.3).Count()),
            ("top 50", () => index.AtLeast(0).Take(50).Count(), () => SortAll().Take(50).Count()),
            ("quarantined", () => index.AtLeast(0, quarantinedOnly: true).Count(), () => SortAll(l => l.IsQuarantined).Count),
            ("full ordered pass", () => index.AtLeast(0).Count(), () => SortAll().Count),
        };
        Console.WriteLine($"apply (one report, O(log n)): {applyMicros:F2} us each, over {reports - 50_000:N0} reports");
        Console.WriteLine();
        Console.WriteLine("| read (in process) | rows | index p50 | index p99 | sort all rows per query p50 | p99 | naive / index (p50) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, byIndex, naive) in queries)
        {
            var count = byIndex();
            if (count != naive()) throw new InvalidOperationException($"{name}: index and naive disagree");
            var a = Time(byIndex, 200);
            var b = Time(naive, 30);
            Console.WriteLine($"| {name} | {count:N0} | {Us(a.P50)} | {Us(a.P99)} | {Us(b.P50)} | {Us(b.P99)} | {b.P50 / a.P50:N0}x |");
        }
        Console.WriteLine();
    }

    private static TestLive RandomRow(Random random)
    {
        // Most tests sit near the prior's mean; one in ten has a score spread over 0..0.8.
        var roll = random.NextDouble();
        var score = roll < 0.9 ? 0.02 + 0.01 * random.NextDouble() : 0.8 * random.NextDouble();
        var label = score >= 0.1 ? TestLabel.Flaky : roll < 0.92 ? TestLabel.Suspected : roll > 0.995 ? TestLabel.Regression : TestLabel.Stable;
        return new TestLive { Score = score, Label = label, IsQuarantined = label == TestLabel.Flaky && score >= 0.3, FlakyRuns = (int)(score * 20), TotalRuns = 20 };
    }

    private static (double P50, double P99) Time(Func<int> query, int iterations)
    {
        for (var i = 0; i < 3; i++) query();
        var ms = new List<double>(iterations);
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            query();
            ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        ms.Sort();
        return (Percentiles.Of(ms, 50), Percentiles.Of(ms, 99));
    }

    private static string Us(double ms) => ms >= 1 ? $"{ms:F1} ms" : $"{ms * 1000:F1} us";

    private static async Task<int> EndToEndAsync(int testCount, int rounds, int calls)
    {
        const int perArchive = 1000;
        var archiveCount = (testCount + perArchive - 1) / perArchive;
        Console.WriteLine($"(b) end to end: {archiveCount} archives x {perArchive} distinct tests, {rounds} rounds ({(long)archiveCount * rounds * perArchive:N0} results), " +
            "then GET /api/flakiness over loopback HTTP");
        // Hundreds of timed reads: the per-key limit on test reads (200 a minute) is turned off for the measurement.
        await using var seismo = await SeismoProcess.StartAsync(environment: new Dictionary<string, string>
        {
            ["DOTNET_gcServer"] = "1", ["Seismo__RateLimits__TestsRead"] = "0",
        });
        seismo.DeleteDataDirOnDispose = true;
        using var http = seismo.Client();
        var projectId = await CollectHttp.DefaultProjectAsync(http);

        var clock = Stopwatch.StartNew();
        var observations = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            var archives = new byte[archiveCount][];
            await Parallel.ForEachAsync(Enumerable.Range(0, archiveCount), async (a, _) => archives[a] = await ArchiveAsync(a, round, perArchive, testCount));
            var ids = new string[archiveCount];
            await Parallel.ForEachAsync(Enumerable.Range(0, archiveCount), new ParallelOptions { MaxDegreeOfParallelism = 4 },
                async (a, _) => ids[a] = await CollectHttp.PostAsync(http, projectId, archives[a]));
            observations.AddRange(ids);
        }
        foreach (var id in observations)
        {
            while ((await http.GetFromJsonAsync<JsonElement>($"/api/observations/{id}")).GetProperty("status").GetString() == "pending")
                await Task.Delay(10);
        }
        var ingestSeconds = clock.Elapsed.TotalSeconds;
        // Scores reach the index when each test grain flushes (every 15 s by default, spread): wait for two flushes.
        await Task.Delay(TimeSpan.FromSeconds(32));
        var all = await http.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={projectId}");
        var summary = all.GetProperty("summary");
        Console.WriteLine($"ingested in {ingestSeconds:F1} s; listed {all.GetProperty("total").GetInt64():N0} tests: " +
            $"{summary.GetProperty("totalFlakyTests").GetInt32():N0} FLAKY, {summary.GetProperty("quarantinedTests").GetInt32():N0} quarantined (automatically)");
        Console.WriteLine();

        var base_ = $"/api/flakiness?projectId={projectId}";
        var queries = new (string Name, string Url, int Calls)[]
        {
            ("minScore=0.3", base_ + "&minScore=0.3", calls * 4),
            ("limit=50", base_ + "&limit=50", calls * 4),
            ("quarantined=true", base_ + "&quarantined=true", calls * 4),
            ("full unpaged list", base_, calls),
        };
        Console.WriteLine("| GET /api/flakiness (HTTP, loopback) | rows | bytes | calls | p50 | p99 |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, url, n) in queries)
        {
            var (rows, bytes) = await FetchAsync(http, url);
            for (var i = 0; i < 3; i++) await FetchAsync(http, url);
            var ms = new List<double>(n);
            for (var i = 0; i < n; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await FetchAsync(http, url);
                ms.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            ms.Sort();
            Console.WriteLine($"| {name} | {rows:N0} | {bytes:N0} | {n} | {Percentiles.Of(ms, 50):F1} ms | {Percentiles.Of(ms, 99):F1} ms |");
        }
        await seismo.StopGracefullyAsync();
        return 0;
    }

    /// <summary>The whole response is read and parsed, as a client would.</summary>
    private static async Task<(int Rows, long Bytes)> FetchAsync(HttpClient http, string url)
    {
        var body = await http.GetByteArrayAsync(url);
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("data").GetArrayLength(), body.Length);
    }

    /// <summary>
    /// Archive <paramref name="a"/> holds tests a*1000 .. a*1000+999. Each test has a fixed character: most pass,
    /// one in ten passes on retry with its own probability, a few fail every time, a few fail now and then.
    /// </summary>
    private static Task<byte[]> ArchiveAsync(int a, int round, int perArchive, int testCount)
    {
        var random = new Random(a * 1000 + round);
        var cases = new List<SyntheticCase>(perArchive);
        for (var i = a * perArchive; i < Math.Min(testCount, (a + 1) * perArchive); i++)
        {
            var character = (int)((uint)(i * 2654435761) % 1000);
            var (outcome, reruns) = character switch
            {
                < 100 => random.NextDouble() < 0.1 + 0.9 * character / 100.0 ? ("passed", 1) : ("passed", 0),
                < 120 => ("failed", 2),
                < 140 => random.NextDouble() < 0.2 ? ("failed", 0) : ("passed", 0),
                _ => ("passed", 0),
            };
            cases.Add(new SyntheticCase($"com.acme.m{i % 50}.Suite{i % 997}", $"test_{i}", outcome, 0.01, reruns));
        }
        var env = new Dictionary<string, string>
        {
            ["CI"] = "true",
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_SHA"] = $"{round:x8}{a:x8}",
            ["GITHUB_REF"] = "refs/heads/main",
            ["GITHUB_RUN_ID"] = $"{round * 1000 + a}",
        };
        return SyntheticReports.ArchiveAsync(cases, returnCode: 1, env: env);
    }
}
