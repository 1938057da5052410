using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Bench;

/// <summary>
/// A Playwright-style reporter against a Seismo process: one run, N tests posted one request each by C concurrent
/// clients, then the closing PATCH. Prints the posting rate, the close latency, and the storage writes counted in the
/// database afterwards, to show the per-test path does not write per test.
/// </summary>
internal static class ReporterBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var tests = options.Int("tests", 5000);
        var concurrency = options.Int("concurrency", 8);
        await using var seismo = await SeismoProcess.StartAsync();
        seismo.DeleteDataDirOnDispose = true;
        var admin = seismo.Client();
        var project = await (await admin.PostAsJsonAsync("/api/projects", new { name = "reporter-bench" })).Content.ReadFromJsonAsync<JsonElement>();
        var projectId = project.GetProperty("id").GetGuid();
        var created = await (await admin.PostAsJsonAsync("/api/api-keys", new { projectId, name = "bench" })).Content.ReadFromJsonAsync<JsonElement>();
        var http = seismo.Client(created.GetProperty("key").GetString()!);
        var run = await (await http.PostAsJsonAsync("/api/runs", new { projectId, status = "running", branch = "main" })).Content.ReadFromJsonAsync<JsonElement>();
        var runId = run.GetProperty("id").GetString()!;

        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < tests)
            {
                var body = new
                {
                    runId, projectId, title = $"test {i}", fullTitle = $"Suite {i % 50} > test {i}", filePath = $"tests/s{i % 50}.spec.ts", status = i % 50 == 0 ? "failed" : "passed",
                    duration = 120, retries = 0, attempt = 1, steps = new[] { new { title = "page.goto('/')", category = "action", status = "passed", duration = 20 } },
                };
                (await http.PostAsJsonAsync("/api/tests", body)).EnsureSuccessStatusCode();
            }
        }));
        var posting = clock.Elapsed;
        clock.Restart();
        (await http.PatchAsJsonAsync($"/api/runs/{runId}", new { status = "failed" })).EnsureSuccessStatusCode();
        var close = clock.Elapsed;
        var writes = await StorageCounter.CountAsync(seismo);

        Console.WriteLine($"Posted {tests:N0} tests with {concurrency} clients in {posting.TotalSeconds:N2} s: {tests / posting.TotalSeconds:N0} tests/s");
        Console.WriteLine($"Closing PATCH (run log append of {tests:N0} results): {close.TotalMilliseconds:N0} ms");
        Console.WriteLine($"Storage writes after a graceful stop: {writes.RunRows} run row(s), {writes.GrainWrites:N0} grain state writes " +
            $"(all grains: reporter run, project, {tests:N0} tests, keys): {(double)writes.Total / tests:N2} writes per test");
        return 0;
    }
}
