using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Seismo.Grains.Reports;
using Seismo.Grains.Uploads;
using Seismo.Tests.Support;

namespace Seismo.Bench;

/// <summary>
/// Upload benchmarks against a real Seismo process: a large chunked upload (throughput, peak memory), a huge JUnit
/// file ingested streaming (peak memory per test), and an allure-results upload against <c>allure generate</c>.
/// Report generation is switched off in the Seismo process so it does not compete for the CPU being measured.
/// </summary>
internal static class UploadBenchmarks
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["DOTNET_gcServer"] = "0",
        // The benchmark polls the test count until the upload is in: far past a key's per-minute test reads.
        ["Seismo__RateLimits__TestsRead"] = "0",
        ["Seismo__Allure__Command"] = "/nonexistent/allure",
        ["Seismo__Uploads__MaxUploadBytes"] = (64L * 1024 * 1024 * 1024).ToString(),
        ["Seismo__Uploads__MaxUncompressedBytes"] = (64L * 1024 * 1024 * 1024).ToString(),
    };

    public static async Task<int> ChunkedAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var megabytes = options.Int("mb", 200);
        var chunkMb = options.Int("chunk-mb", 20);
        var dir = NewDir("bench-chunked");
        var zipPath = Path.Combine(dir, "results.zip");
        WriteZip(zipPath, zip =>
        {
            using (var w = new StreamWriter(zip.CreateEntry("junit/TEST-bench.xml").Open())) w.Write(JunitCases(1000));
            var random = new Random(1);
            using var blob = zip.CreateEntry("attachments/trace.bin", CompressionLevel.NoCompression).Open();
            var buffer = new byte[1024 * 1024];
            for (var i = 0; i < megabytes; i++) { random.NextBytes(buffer); blob.Write(buffer); }
        });
        var size = new FileInfo(zipPath).Length;
        var chunkSize = chunkMb * 1024L * 1024;
        var chunks = (int)((size + chunkSize - 1) / chunkSize);
        Console.WriteLine($"upload-chunked: {size / 1048576.0:F1} MB zip in {chunks} chunks of {chunkMb} MB, {System.Environment.ProcessorCount} cores (shared machine)");

        await using var seismo = await SeismoProcess.StartAsync(environment: Environment);

        seismo.DeleteDataDirOnDispose = true;
        var (client, path, _) = await ProjectAsync(seismo);
        var baseline = PeakRss(seismo.ProcessId);
        var clock = Stopwatch.StartNew();
        var init = await (await client.PostAsJsonAsync($"{path}/uploads", new { fileName = "results.zip", totalSize = size, totalChunks = chunks, buildId = "bench-1" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        var id = init.GetProperty("id").GetString()!;
        await using (var file = File.OpenRead(zipPath))
        {
            var buffer = new byte[chunkSize];
            for (var i = 0; i < chunks; i++)
            {
                var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
                using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/uploads/{id}/chunks") { Content = new ByteArrayContent(buffer, 0, read) };
                request.Headers.Add("X-Chunk-Index", i.ToString());
                request.Headers.Add("X-Total-Chunks", chunks.ToString());
                (await client.SendAsync(request)).EnsureSuccessStatusCode();
            }
        }
        var sent = clock.Elapsed;
        (await client.PostAsync($"/api/uploads/{id}/complete", null)).EnsureSuccessStatusCode();
        var final = await WaitFinalAsync(client, id);
        var total = clock.Elapsed;
        var peak = PeakRss(seismo.ProcessId);
        Console.WriteLine($"phase {final.GetProperty("phase")}, tests {final.GetProperty("testsParsed")}");
        Console.WriteLine($"chunks sent: {sent.TotalSeconds:F2} s = {size / 1048576.0 / sent.TotalSeconds:F1} MB/s");
        Console.WriteLine($"init to results stored (assembled, extracted, parsed): {total.TotalSeconds:F2} s = {size / 1048576.0 / total.TotalSeconds:F1} MB/s");
        Console.WriteLine($"Seismo peak RSS: {peak / 1048576.0:F0} MB (before the upload: {baseline / 1048576.0:F0} MB); upload size {size / 1048576.0:F0} MB");
        DataDirCleanup(dir);
        return 0;
    }

    public static async Task<int> Junit500kAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var tests = options.Int("tests", 500_000);
        var dir = NewDir("bench-junit");
        var zipPath = Path.Combine(dir, "junit.zip");
        WriteZip(zipPath, zip =>
        {
            using var w = new StreamWriter(zip.CreateEntry("reports/TEST-huge.xml", CompressionLevel.Fastest).Open());
            w.Write($"<?xml version=\"1.0\"?>\n<testsuite name=\"huge\" tests=\"{tests}\">\n");
            for (var i = 0; i < tests; i++)
            {
                w.Write($"<testcase classname=\"com.acme.pkg{i % 500}.Suite{i % 97}\" name=\"test_{i}\" time=\"0.001\">");
                if (i % 50 == 0) w.Write("<failure message=\"expected true\">at Suite.java:12</failure>");
                w.Write("</testcase>\n");
            }
            w.Write("</testsuite>\n");
        });
        using (var zip = ZipFile.OpenRead(zipPath))
            Console.WriteLine($"upload-junit-500k: {tests:N0} tests, XML {zip.Entries[0].Length / 1048576.0:F0} MB, zip {new FileInfo(zipPath).Length / 1048576.0:F1} MB, " +
                $"{System.Environment.ProcessorCount} cores (shared machine)");

        await using var seismo = await SeismoProcess.StartAsync(environment: Environment);

        seismo.DeleteDataDirOnDispose = true;
        var (client, path, _) = await ProjectAsync(seismo);
        var (_, warmUpPath, warmUpId) = await ProjectAsync(seismo, "Warm up");
        await WarmUpAsync(client, warmUpPath, warmUpId, 3, 1000);
        var baseline = PeakRss(seismo.ProcessId);
        var clock = Stopwatch.StartNew();
        await using (var body = File.OpenRead(zipPath))
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            var response = await client.PostAsync($"{path}/upload?buildId=huge", content);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
        }
        var elapsed = clock.Elapsed;
        var peak = PeakRss(seismo.ProcessId);
        Console.WriteLine($"streamed upload to results stored: {elapsed.TotalSeconds:F2} s ({tests / elapsed.TotalSeconds:N0} tests/s)");
        Console.WriteLine($"Seismo peak RSS {peak / 1048576.0:F0} MB, before {baseline / 1048576.0:F0} MB: {(peak - baseline) / 1048576.0:F0} MB for the upload, " +
            $"{(double)(peak - baseline) / tests:F0} bytes per test held (the XML itself is {new FileInfo(zipPath).Length:N0} bytes zipped; never read whole)");
        DataDirCleanup(dir);
        return 0;
    }

    public static async Task<int> VersusAllureAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var tests = options.Int("tests", 10_000);
        if (AllureCli.Locate(new AllureOptions(), Path.GetTempPath()) is not { } allure)
        {
            Console.Error.WriteLine("upload-vs-allure needs the Allure CLI on the PATH (npm install -g allure@3.18.0)");
            return 1;
        }
        var dir = NewDir("bench-allure");
        var results = Path.Combine(dir, "allure-results");
        Directory.CreateDirectory(results);
        var random = new Random(3);
        for (var i = 0; i < tests; i++) File.WriteAllText(Path.Combine(results, $"{Guid.NewGuid()}-result.json"), AllureResult(i, random));
        var zipPath = Path.Combine(dir, "results.zip");
        ZipFile.CreateFromDirectory(results, zipPath);
        Console.WriteLine($"upload-vs-allure: {tests:N0} Allure results, zip {new FileInfo(zipPath).Length / 1048576.0:F1} MB, {System.Environment.ProcessorCount} cores (shared machine)");

        await using var seismo = await SeismoProcess.StartAsync(environment: Environment);

        seismo.DeleteDataDirOnDispose = true;
        var (client, path, projectId) = await ProjectAsync(seismo);
        var (_, warmUpPath, warmUpId) = await ProjectAsync(seismo, "Warm up");
        await WarmUpAsync(client, warmUpPath, warmUpId, options.Int("warm-up", 6), tests);
        var clock = Stopwatch.StartNew();
        await using (var body = File.OpenRead(zipPath))
        {
            var content = new StreamContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            (await client.PostAsync($"{path}/upload?buildId=vs-allure", content)).EnsureSuccessStatusCode();
        }
        var answered = clock.Elapsed;
        var polls = 1;
        while (!await QueryableAsync(client, projectId, tests)) polls++;
        var seismoTime = clock.Elapsed;

        clock.Restart();
        var start = new ProcessStartInfo(allure) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["generate", results, "-o", Path.Combine(dir, "report")]) start.ArgumentList.Add(a);
        using (var process = Process.Start(start)!)
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
        }
        var allureTime = clock.Elapsed;
        Console.WriteLine($"Seismo, start of the streaming upload until its 201: {answered.TotalSeconds:F2} s");
        Console.WriteLine($"Seismo, start of the streaming upload until the {tests:N0} tests are queryable: {seismoTime.TotalSeconds:F2} s ({polls} polls)");
        Console.WriteLine($"allure generate on the same results:                                    {allureTime.TotalSeconds:F2} s");
        Console.WriteLine($"ratio Seismo / Allure: {seismoTime / allureTime:F3} (target < 0.1: {(seismoTime / allureTime < 0.1 ? "met" : "not met")})");
        DataDirCleanup(dir);
        return 0;
    }

    /// <summary>
    /// What a user sees: the run listed with all its tests, the run's results and the project's tests each answering
    /// with <paramref name="tests"/> in total, and the last result of the run there to read.
    /// </summary>
    private static async Task<bool> QueryableAsync(HttpClient client, string projectId, int tests)
    {
        var runs = (await client.GetFromJsonAsync<JsonElement>($"/api/runs?projectId={projectId}&limit=1")).GetProperty("data");
        if (runs.GetArrayLength() == 0 || runs[0].GetProperty("totalTests").GetInt32() != tests) return false;
        var runId = runs[0].GetProperty("id").GetString();
        var ofRun = await client.GetFromJsonAsync<JsonElement>($"/api/tests?runId={runId}&limit=1&offset={tests - 1}");
        if (ofRun.GetProperty("total").GetInt32() != tests || ofRun.GetProperty("data").GetArrayLength() != 1) return false;
        var ofProject = await client.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={projectId}&limit=1&offset={tests - 1}");
        return ofProject.GetProperty("total").GetInt32() == tests && ofProject.GetProperty("data").GetArrayLength() == 1;
    }

    private static async Task<(HttpClient Client, string ProjectPath, string Id)> ProjectAsync(SeismoProcess seismo, string name = "Uploads")
    {
        var client = seismo.Client();
        client.Timeout = TimeSpan.FromMinutes(30);
        using (var env = await client.PostAsJsonAsync("/api/environments", new { id = "bench", name = "Bench" }))
            if (env.StatusCode != System.Net.HttpStatusCode.Conflict) env.EnsureSuccessStatusCode();
        var project = await (await client.PostAsJsonAsync("/api/environments/bench/projects", new { name })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<JsonElement>();
        return (client, $"/api/environments/bench/projects/{project.GetProperty("slug").GetString()}", project.GetProperty("id").GetString()!);
    }

    private static string AllureResult(int i, Random random)
    {
        var status = random.Next(100) switch { < 3 => "failed", < 4 => "broken", < 6 => "skipped", _ => "passed" };
        var details = status is "failed" or "broken" ? ",\"statusDetails\":{\"message\":\"expected 1 to be 2\",\"trace\":\"at spec.ts:12\"}" : "";
        return $$"""{"uuid":"{{Guid.NewGuid()}}","historyId":"h{{i}}","name":"test {{i}}","fullName":"suite{{i % 100}}.spec.ts: Suite {{i % 100}} > test {{i}}","status":"{{status}}"{{details}},"start":{{1700000000000 + i}},"stop":{{1700000000050 + i}},"labels":[{"name":"suite","value":"Suite {{i % 100}}"},{"name":"language","value":"typescript"}],"steps":[{"name":"step 1","status":"passed"}]}""";
    }

    /// <summary>
    /// A server that has been running takes uploads with compiled code. Uploads of both formats go to a project of their
    /// own first, each waited for until its session is done (the zip extracted for its report), and the queries the
    /// measurement polls are asked once, so that JIT tiering and background work are not in the measurement. The times
    /// to their 201 are printed to show the server had settled.
    /// </summary>
    private static async Task WarmUpAsync(HttpClient client, string path, string projectId, int rounds, int results)
    {
        var random = new Random(5);
        var answered = new List<string>();
        for (var round = 0; round < rounds; round++)
        {
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                using (var w = new StreamWriter(zip.CreateEntry("TEST-w.xml").Open())) w.Write(JunitCases(100));
                for (var i = 0; i < results; i++)
                    using (var w = new StreamWriter(zip.CreateEntry($"w{i}-result.json").Open())) w.Write(AllureResult(i, random));
            }
            var content = new ByteArrayContent(buffer.ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            var clock = Stopwatch.StartNew();
            var session = await (await client.PostAsync($"{path}/upload?buildId=warm-up-{round}", content)).EnsureSuccessStatusCode()
                .Content.ReadFromJsonAsync<JsonElement>();
            answered.Add($"{clock.Elapsed.TotalSeconds:F2}");
            await WaitFinalAsync(client, session.GetProperty("id").GetString()!);
            // The answer does not matter here.
            await QueryableAsync(client, projectId, results + 100);
        }
        Console.WriteLine($"warm-up: {rounds} uploads of {results:N0} Allure results, 201 after {string.Join(", ", answered)} s");
        // Tiered compilation promotes hot methods in the background once calls settle.
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    private static async Task<JsonElement> WaitFinalAsync(HttpClient client, string id)
    {
        while (true)
        {
            var session = await client.GetFromJsonAsync<JsonElement>($"/api/uploads/{id}");
            if (session.GetProperty("phase").GetString() is "done" or "failed") return session;
            await Task.Delay(20);
        }
    }

    private static string JunitCases(int count)
    {
        var text = new StringBuilder("<testsuite name=\"bench\">");
        for (var i = 0; i < count; i++) text.Append($"<testcase classname=\"com.acme.Bench\" name=\"t{i}\" time=\"0.001\"/>");
        return text.Append("</testsuite>").ToString();
    }

    private static void WriteZip(string path, Action<ZipArchive> write)
    {
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        write(zip);
    }

    /// <summary>Peak resident set size of a process (Linux VmHWM), in bytes.</summary>
    private static long PeakRss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmHWM:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }

    private static string NewDir(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static void DataDirCleanup(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }
}
