using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Seismo.Tests.Support;

/// <summary>The real Seismo API (embedded silo and SQLite store) as a child process on a loopback port: for crash tests and benchmarks.</summary>
public sealed class SeismoProcess : IAsyncDisposable
{
    public const string AdminKey = "smo_process_admin_key_000000000000";

    private readonly Process _process;

    private SeismoProcess(Process process, string baseUrl, string dataDir)
    {
        _process = process;
        BaseUrl = baseUrl;
        DataDir = dataDir;
    }

    public string BaseUrl { get; }

    /// <summary>The operating system's id of the Seismo process (benchmarks read its peak memory).</summary>
    public int ProcessId => _process.Id;

    /// <summary>CPU time the Seismo process has used so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }
    public string DataDir { get; }

    /// <summary>Starts Seismo on a data directory (a new temporary one by default) and waits until it is healthy.</summary>
    public static async Task<SeismoProcess> StartAsync(string? dataDir = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Seismo.Api.dll");
        dataDir ??= Path.Combine(Path.GetTempPath(), "seismo-proc-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["SEISMO_DATA_DIR"] = dataDir;
        info.Environment["SEISMO_ADMIN_KEY"] = AdminKey;
        info.Environment["Seismo__SiloPort"] = FreePort().ToString();
        info.Environment["Seismo__GatewayPort"] = FreePort().ToString();
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var process = Process.Start(info)!;
        // Seismo's own log goes to <dataDir>/seismo-<pid>.log for diagnosing a failed test.
        Directory.CreateDirectory(dataDir);
        var log = new StreamWriter(Path.Combine(dataDir, $"seismo-{process.Id}.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[seismo] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var seismo = new SeismoProcess(process, $"http://127.0.0.1:{port}", dataDir);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(seismo.BaseUrl + "/api/healthz")).IsSuccessStatusCode) return seismo;
            }
            catch (HttpRequestException) { }
            if (process.HasExited) throw new InvalidOperationException("Seismo exited during start-up");
            await Task.Delay(250);
        }
        throw new TimeoutException("Seismo did not become healthy within 60 s");
    }

    public HttpClient Client(string key = AdminKey)
    {
        var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    /// <summary>SIGKILL: no flush, no clean-up, as a crash would leave it.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, then wait: the host flushes write-behind grain state on the way out.</summary>
    public async Task StopGracefullyAsync()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>
    /// Delete the data directory on dispose. Off by default: a failed test's directory holds Seismo's log. Benchmarks
    /// turn it on, since each run leaves a data directory of a gigabyte or more.
    /// </summary>
    public bool DeleteDataDirOnDispose { get; set; }

    /// <summary>Kills the process if it still runs; the data directory is left for the caller unless asked otherwise.</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        if (DeleteDataDirOnDispose && Directory.Exists(DataDir)) Directory.Delete(DataDir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
