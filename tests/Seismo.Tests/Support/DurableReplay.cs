using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Domain.Flakiness;

namespace Seismo.Tests.Support;

/// <summary>
/// The oracle of the crash tests: folds every durable run's results in sequence order through the scorer, which is
/// what a from-scratch replay derives, and compares each test's live state with it (all through the HTTP API).
/// </summary>
public static class DurableReplay
{
    /// <summary>
    /// Environment for a Seismo process whose history is read back whole: every run and each run's results, far past
    /// the per-key limits a client gets, so the read groups are turned off.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ReadBackEnvironment = new Dictionary<string, string>
    {
        ["Seismo__RateLimits__RunsRead"] = "0", ["Seismo__RateLimits__TestsRead"] = "0", ["Seismo__RateLimits__ProjectsTeams"] = "0",
    };

    public sealed record Expected(HashSet<string> RunIds, Dictionary<string, List<string>> Tests, Dictionary<string, FlakinessState> Scores,
        Dictionary<string, QuarantineState> Quarantines);

    public static async Task<Expected> ReadAsync(HttpClient client, Guid project)
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
        return new Expected(runs.Select(r => r.Id).ToHashSet(), tests, scores, quarantines);
    }

    /// <summary>
    /// Every stored run is processed, and each test's counts, score, label, quarantine, history and index row equal the
    /// replay, within <paramref name="convergence"/> (10 s by default; a lost fan-out message is re-read after 30 s).
    /// </summary>
    public static async Task AssertLiveStateMatchesAsync(HttpClient client, Guid project, Expected expected, TimeSpan? convergence = null)
    {
        var within = convergence ?? TimeSpan.FromSeconds(10);
        // Runs that were stored but never acknowledged (the crash cut the answer) are replayed too.
        foreach (var id in expected.RunIds) Assert.Equal("processed", (await client.WaitProcessedAsync(id, 60)).GetProperty("status").GetString());

        foreach (var (testId, replay) in expected.Tests)
        {
            // Results reach test grains as one-way messages after "processed": allow them a moment to land.
            var live = await EventuallyAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}"),
                t => t.GetProperty("totalRuns").GetInt64() == replay.Count, within);
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
            l => l.GetProperty("data").EnumerateArray().All(r => Expected(r.GetProperty("testId").GetString()!) == Indexed(r)), within);
        Assert.Equal(expected.Tests.Count, index.GetProperty("data").GetArrayLength());
        foreach (var row in index.GetProperty("data").EnumerateArray()) Assert.Equal(Expected(row.GetProperty("testId").GetString()!), Indexed(row));
    }

    private static string Indexed(JsonElement row) => $"{row.GetProperty("flakinessScore").GetDouble()}/{row.GetProperty("label").GetString()}";

    private static async Task<JsonElement> EventuallyAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                var value = await read();
                if (done(value) || DateTime.UtcNow > deadline) return value;
            }
            // A test grain that has not received its first run yet (re-read from the run log after a lost message) is 404 until then.
            catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound && DateTime.UtcNow <= deadline) { }
            await Task.Delay(100);
        }
    }
}
