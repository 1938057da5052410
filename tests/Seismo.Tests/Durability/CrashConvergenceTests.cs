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
        var environment = new Dictionary<string, string>(DurableReplay.ReadBackEnvironment) { ["Seismo__FlushInterval"] = "00:00:02" };
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

        var expected = await DurableReplay.ReadAsync(client, project);
        var lost = acknowledged.Where(id => !expected.RunIds.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledged observations are missing, e.g. {lost.FirstOrDefault()}; {expected.RunIds.Count} runs stored");
        Assert.Equal(Tests, expected.Tests.Count);
        await DurableReplay.AssertLiveStateMatchesAsync(client, project, expected);
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
