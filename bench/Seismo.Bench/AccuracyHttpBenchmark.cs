using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Seismo.Domain.Flakiness;
using Seismo.Tests.Support;

namespace Seismo.Bench;

/// <summary>
/// The accuracy benchmark through the real ingest path: the same synthetic history as <c>accuracy</c>, one collect
/// archive per run posted in run order to a Seismo process (each processed before the next is sent), the label
/// timeline read from the live SSE stream's <c>test.status_changed</c> events and the end state from
/// <c>GET /api/flakiness</c>; the same target table, the same baselines, and the agreement with the in-process scorer.
/// </summary>
internal static partial class AccuracyHttpBenchmark
{
    private const string ClassName = "bench.synthetic.History";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        int testCount = options.Int("tests", 5000), runCount = options.Int("runs", 400), seed = options.Int("seed", 1);
        var history = new SyntheticHistory(testCount, runCount, seed);
        var outcomes = AccuracyScoring.Outcomes(history);
        var tests = history.Tests;
        Console.WriteLine($"Accuracy through HTTP: {testCount} tests x {runCount} runs, seed {seed}, {Environment.ProcessorCount} cores");

        var clock = Stopwatch.StartNew();
        var archives = new byte[runCount][];
        await Parallel.ForEachAsync(history.Runs, async (run, _) => archives[run.Index] = await ArchiveAsync(history, run, outcomes[run.Index]));
        Console.WriteLine($"archives built: {runCount} in {clock.Elapsed.TotalSeconds:F1} s, {archives.Average(a => a.Length) / 1024:F0} KiB each");

        await using var seismo = await SeismoProcess.StartAsync(environment: new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" });

        seismo.DeleteDataDirOnDispose = true;
        using var http = seismo.Client();
        using var streamHttp = new HttpClient { BaseAddress = new Uri(seismo.BaseUrl), Timeout = Timeout.InfiniteTimeSpan };
        streamHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SeismoProcess.AdminKey);
        var projectId = await CollectHttp.DefaultProjectAsync(http);

        // The stream is open before the first run, so it sees every change.
        var changes = new ConcurrentQueue<(int Test, string? RunId, FlakinessLabel Old, FlakinessLabel New, long Sequence)>();
        var otherEvents = new ConcurrentDictionary<string, int>();
        await using var stream = await EventStream.OpenAsync(streamHttp, $"/api/events/stream?projectId={projectId}", e =>
        {
            if (e.Type != "test.status_changed")
            {
                otherEvents.AddOrUpdate(e.Type ?? "(none)", 1, (_, n) => n + 1);
                return;
            }
            var root = JsonDocument.Parse(e.Data).RootElement;
            var data = root.GetProperty("data");
            changes.Enqueue((TestIndex(data.GetProperty("testTitle").GetString()!), data.GetProperty("runId").GetString(),
                Label(data.GetProperty("oldLabel").GetString()!), Label(data.GetProperty("newLabel").GetString()!), root.GetProperty("sequence").GetInt64()));
        });

        // One run at a time, in the history's order: a run is posted once the previous one is processed.
        var runIndexOf = new Dictionary<string, int>();
        var latencies = new List<double>(runCount);
        var cpuBefore = seismo.ProcessorTime;
        clock.Restart();
        foreach (var run in history.Runs)
        {
            var started = Stopwatch.GetTimestamp();
            var observation = await CollectHttp.PostAsync(http, projectId, archives[run.Index]);
            while (true)
            {
                var status = await http.GetFromJsonAsync<JsonElement>($"/api/observations/{observation}");
                var state = status.GetProperty("status").GetString();
                if (state == "failed") throw new InvalidOperationException($"run {run.Index}: {status}");
                if (state == "processed")
                {
                    runIndexOf[status.GetProperty("run_id").GetString()!] = run.Index;
                    break;
                }
                await Task.Delay(2);
            }
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if ((run.Index + 1) % 100 == 0) Console.WriteLine($"  {run.Index + 1} runs processed, {clock.Elapsed.TotalSeconds:F0} s, {changes.Count} label changes streamed");
        }
        var ingestSeconds = clock.Elapsed.TotalSeconds;
        var serverCpu = seismo.ProcessorTime - cpuBefore;

        // Label changes are told at once, but a run is "processed" when its results are handed to the test grains:
        // wait until the stream is quiet and the end state agrees with the last label each test was seen to take.
        var timelineFinal = new FlakinessLabel[testCount];
        var endState = new Dictionary<int, JsonElement>();
        var settle = Stopwatch.StartNew();
        var settled = false;
        while (settle.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(1000);
            if (DateTime.UtcNow - stream.LastEventAt < TimeSpan.FromSeconds(2)) continue;
            Array.Clear(timelineFinal);
            foreach (var c in changes.OrderBy(c => c.Sequence)) timelineFinal[c.Test] = c.New;
            endState = await EndStateAsync(http, projectId);
            if (endState.Count == testCount && endState.All(kv => Label(kv.Value.GetProperty("label").GetString()!) == timelineFinal[kv.Key]))
            {
                settled = true;
                break;
            }
        }
        Console.WriteLine($"ingest: {runCount} runs ({(long)runCount * testCount:N0} results) in {ingestSeconds:F1} s; post -> processed per run p50 " +
            $"{Percentiles.Of(latencies.Order().ToList(), 50):F0} ms, p99 {Percentiles.Of(latencies.Order().ToList(), 99):F0} ms; Seismo CPU {serverCpu.TotalSeconds:F1} s; " +
            $"settled {settle.Elapsed.TotalSeconds:F0} s later{(settled ? "" : " (NOT settled within 120 s: the figures below use what had arrived)")}");

        // The timeline: each test's label after each run, from the events' run ids.
        var events = changes.OrderBy(c => c.Sequence).ToList();
        var unmapped = events.Count(e => e.RunId is null || !runIndexOf.ContainsKey(e.RunId));
        var byRun = events.Where(e => e.RunId is not null && runIndexOf.ContainsKey(e.RunId))
            .ToLookup(e => runIndexOf[e.RunId!]);
        var discontinuities = 0;
        var current = new FlakinessLabel[testCount];
        var inProcessStates = Array.Empty<FlakinessState>();
        long timelineAgree = 0;
        var scoring = new AccuracyScoring(history);
        var inProcess = AccuracyBenchmark.Replay(history, outcomes, afterRun: (run, states) =>
        {
            foreach (var e in byRun[run.Index])
            {
                if (current[e.Test] != e.Old) discontinuities++;
                current[e.Test] = e.New;
            }
            for (var t = 0; t < testCount; t++) if (states[t].Label == current[t]) timelineAgree++;
            scoring.Observe(run, outcomes[run.Index], t => current[t]);
        });

        Console.WriteLine($"stream: {events.Count} test.status_changed events ({unmapped} without a known run id, {discontinuities} whose old label " +
            $"was not the label last seen), {stream.Reconnects} reconnects; other events: " +
            string.Join(", ", otherEvents.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} {kv.Value}")));
        Console.WriteLine();
        AccuracyScoring.PrintSetup(history, ScorerSettings.Default);
        scoring.PrintTable("Seismo over HTTP (SSE timeline)", cost: null);

        var endLabels = new FlakinessLabel[testCount];
        foreach (var (t, row) in endState) endLabels[t] = Label(row.GetProperty("label").GetString()!);
        var agree = Enumerable.Range(0, testCount).Count(t => endState.ContainsKey(t) && endLabels[t] == inProcess[t].Label);
        var quarantined = endState.Values.Count(r => r.GetProperty("isQuarantined").GetBoolean());
        Console.WriteLine($"Agreement, end state (GET /api/flakiness) vs in-process scorer's final labels: {agree} of {testCount} tests " +
            $"({endState.Count} rows listed, {quarantined} auto-quarantined)");
        Console.WriteLine($"Agreement, SSE label timeline vs in-process scorer after every run: {timelineAgree:N0} of {(long)testCount * runCount:N0} (test, run) labels");
        Console.WriteLine();
        AccuracyScoring.PrintFinalLabels("Seismo (GET /api/flakiness)", tests, t => endLabels[t]);
        foreach (var t in Enumerable.Range(0, testCount).Where(t => endLabels[t] != inProcess[t].Label).Take(10))
            Console.WriteLine($"  disagreement: test {t} ({tests[t].Truth}) HTTP {endLabels[t]}, in process {inProcess[t].Label}");
        await seismo.StopGracefullyAsync();
        return settled && agree == testCount ? 0 : 1;
    }

    private static Task<byte[]> ArchiveAsync(SyntheticHistory history, SyntheticRun run, ResultKind[] kinds)
    {
        var tests = history.Tests;
        var cases = new SyntheticCase[tests.Length];
        var anyFailed = false;
        for (var t = 0; t < tests.Length; t++)
        {
            // A pass on retry is one failed attempt then a pass; a failure fails every attempt the test is allowed.
            var (outcome, reruns) = kinds[t] switch
            {
                ResultKind.Passed => ("passed", 0),
                ResultKind.PassedOnRetry => ("passed", 1),
                _ => ("failed", tests[t].MaxAttempts - 1),
            };
            anyFailed |= outcome == "failed";
            cases[t] = new SyntheticCase(ClassName, $"case_{t}", outcome, 0.01, reruns);
        }
        var env = new Dictionary<string, string>
        {
            ["CI"] = "true",
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_SHA"] = run.Commit.ToString("x16"),
            ["GITHUB_REF"] = "refs/heads/" + (run.Branch == 0 ? "main" : $"feature-{run.Branch}"),
            ["GITHUB_RUN_ID"] = (1000 + run.Index).ToString(),
        };
        return SyntheticReports.ArchiveAsync(cases, returnCode: anyFailed ? 1 : 0, env: env);
    }

    private static async Task<Dictionary<int, JsonElement>> EndStateAsync(HttpClient http, string projectId)
    {
        var list = await http.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={projectId}");
        return list.GetProperty("data").EnumerateArray().ToDictionary(r => TestIndex(r.GetProperty("testTitle").GetString()!), r => r.Clone());
    }

    private static FlakinessLabel Label(string name) => Enum.Parse<FlakinessLabel>(name, ignoreCase: true);

    private static int TestIndex(string title) => int.Parse(CaseNumber().Match(title).Groups[1].Value);

    [GeneratedRegex(@"case_(\d+)")]
    private static partial Regex CaseNumber();
}
