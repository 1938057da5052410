using Seismo.Domain.Flakiness;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Durability;

/// <summary>
/// Kills the Seismo process (SIGKILL) in the middle of concurrent ingest, restarts it on the same data directory and
/// checks that every acknowledged observation is there and that each test's derived state equals a from-scratch
/// replay of the durable runs, computed here from the runs' own results.
/// </summary>
public sealed class CrashConvergenceTests
{
    private const int Tests = 40;

    [Fact]
    public async Task Derived_state_after_a_crash_equals_a_replay_of_the_durable_runs()
    {
        var dataDir = TempDir.Create("seismo-crash");
        var environment = new Dictionary<string, string> { ["Seismo__FlushInterval"] = "00:00:02" };
        var acknowledged = new List<string>();
        Guid project;

        await using (var seismo = await SeismoProcess.StartAsync(dataDir, environment))
        {
            project = (await seismo.Client().GetFromJsonAsync<JsonElement>("/api/projects")).GetProperty("data")[0].GetProperty("id").GetGuid();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                var http = seismo.Client();
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var response = await http.PostArchiveAsync(await ArchiveAsync(w * 1000 + i), project);
                        if (!response.IsSuccessStatusCode) continue;
                        var id = (await response.JsonAsync()).GetProperty("observation_id").GetString()!;
                        lock (acknowledged) acknowledged.Add(id);
                    }
                    catch (HttpRequestException) { return; }
                    catch (TaskCanceledException) { return; }
                }
            })).ToList();

            // Let some state be written behind and some not, then pull the plug mid-stream.
            while (Count(acknowledged) < 60) await Task.Delay(50);
            await seismo.KillAsync();
            stop.Cancel();
            await Task.WhenAll(writers);
        }

        await using var restarted = await SeismoProcess.StartAsync(dataDir, environment);
        var client = restarted.Client();
        foreach (var id in acknowledged) Assert.Equal("processed", (await client.WaitProcessedAsync(id, 60)).GetProperty("status").GetString());

        var expected = await ReplayDurableRunsAsync(client, project);
        var lost = acknowledged.Where(id => !expected.RunIds.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged observations are missing, e.g. {lost.FirstOrDefault()}; {expected.RunIds.Count} runs stored");
        Assert.Equal(Tests, expected.Tests.Count);
        // Runs that were stored but never acknowledged (the crash cut the answer) are replayed too.
        foreach (var id in expected.RunIds) Assert.Equal("processed", (await client.WaitProcessedAsync(id, 60)).GetProperty("status").GetString());

        foreach (var (testId, replay) in expected.Tests)
        {
            // Results reach test grains as one-way messages after "processed": allow them a moment to land.
            var live = await EventuallyAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}"),
                t => t.GetProperty("totalRuns").GetInt64() == replay.Count);
            Assert.Equal(replay.Count, live.GetProperty("totalRuns").GetInt64());
            Assert.Equal(replay.Count(s => s == "passed"), live.GetProperty("passedRuns").GetInt64());
            Assert.Equal(replay.Count(s => s == "failed"), live.GetProperty("failedRuns").GetInt64());
            // The order-sensitive flakiness score too equals the scorer fed the durable runs in sequence order.
            var oracle = expected.Scores[testId];
            Assert.Equal(Math.Round(FlakinessScorer.Score(oracle, ScorerSettings.Default), 4), live.GetProperty("flakinessScore").GetDouble());
            Assert.Equal(oracle.Label.ToString().ToUpperInvariant(), live.GetProperty("label").GetString());
            Assert.Equal(expected.Quarantines[testId].IsQuarantined, live.GetProperty("isQuarantined").GetBoolean());
            var history = await client.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}/history");
            var expectedHistory = replay.AsEnumerable().Reverse().Take(20).ToList();
            Assert.Equal(expectedHistory, history.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("status").GetString()!).ToList());
        }

        // The project's flakiness index converges too: test grains report their scores as they flush.
        string Expected(string testId) =>
            $"{Math.Round(FlakinessScorer.Score(expected.Scores[testId], ScorerSettings.Default), 4)}/{expected.Scores[testId].Label.ToString().ToUpperInvariant()}";
        var index = await EventuallyAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/flakiness?projectId={project}"),
            l => l.GetProperty("data").EnumerateArray().All(r => Expected(r.GetProperty("testId").GetString()!) == Indexed(r)));
        Assert.Equal(Tests, index.GetProperty("data").GetArrayLength());
        foreach (var row in index.GetProperty("data").EnumerateArray()) Assert.Equal(Expected(row.GetProperty("testId").GetString()!), Indexed(row));
    }

    private static string Indexed(JsonElement row) => $"{row.GetProperty("flakinessScore").GetDouble()}/{row.GetProperty("label").GetString()}";

    private static async Task<JsonElement> EventuallyAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }

    private sealed record Replay(HashSet<string> RunIds, Dictionary<string, List<string>> Tests, Dictionary<string, FlakinessState> Scores,
        Dictionary<string, QuarantineState> Quarantines);

    /// <summary>Folds every stored run's results in sequence order: what a fresh replay would derive.</summary>
    private static async Task<Replay> ReplayDurableRunsAsync(HttpClient client, Guid project)
    {
        var runs = new List<(long Sequence, string Id, JsonElement Detail)>();
        for (var offset = 0; ; offset += 500)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={project}&limit=500&offset={offset}");
            var ids = page.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
            foreach (var id in ids)
            {
                var detail = await client.GetFromJsonAsync<JsonElement>($"/api/runs/{id}");
                runs.Add((detail.GetProperty("sequence").GetInt64(), id, detail));
            }
            if (ids.Count < 500) break;
        }
        var tests = new Dictionary<string, List<string>>();
        var scores = new Dictionary<string, FlakinessState>();
        var quarantines = new Dictionary<string, QuarantineState>();
        foreach (var (_, id, detail) in runs.OrderBy(r => r.Sequence))
        {
            var ran = detail.GetProperty("totalTests").GetInt32() - detail.GetProperty("skippedTests").GetInt32();
            var failing = detail.GetProperty("failedTests").GetInt32() + detail.GetProperty("flakyTests").GetInt32();
            var results = await client.GetFromJsonAsync<JsonElement>($"/api/tests?runId={id}&limit=500");
            foreach (var r in results.GetProperty("data").EnumerateArray())
            {
                var testId = r.GetProperty("testId").GetString()!;
                if (!tests.TryGetValue(testId, out var list)) tests[testId] = list = [];
                list.Add(r.GetProperty("status").GetString()!);
                var state = scores.GetValueOrDefault(testId);
                var kind = r.GetProperty("status").GetString() switch
                {
                    "passed" => ResultKind.Passed, "flaky" => ResultKind.PassedOnRetry, "skipped" => ResultKind.Skipped, _ => ResultKind.Failed,
                };
                var input = new ScorerInput(kind, r.GetProperty("attempt").GetInt32(), 0, 0, ran == 0 ? 0 : (double)failing / ran, ran);
                FlakinessScorer.Update(ref state, input, ScorerSettings.Default);
                scores[testId] = state;
                var quarantine = quarantines.GetValueOrDefault(testId);
                QuarantinePolicy.AfterResult(ref quarantine, input, state, QuarantineRule.Default, ScorerSettings.Default);
                quarantines[testId] = quarantine;
            }
        }
        return new Replay(runs.Select(r => r.Id).ToHashSet(), tests, scores, quarantines);
    }

    private static Task<byte[]> ArchiveAsync(int seed)
    {
        var random = new Random(seed);
        return SyntheticReports.ArchiveAsync(Enumerable.Range(0, Tests)
            .Select(t => new SyntheticCase("com.acme.Crash", $"test{t}", random.NextDouble() < 0.2 ? "failed" : "passed")));
    }

    private static int Count(List<string> list)
    {
        lock (list) return list.Count;
    }
}
