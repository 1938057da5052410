using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Cluster.Tests;

/// <summary>
/// One Seismo cluster on this machine, the topology docker-compose.yml describes: silo processes (src/Silo) and API
/// node processes (src/Api, Orleans clients) sharing one PostgreSQL database and one archive directory. Each silo
/// keeps its ports across restarts, as a container would. The fault tests and the cluster benchmark
/// (<c>bench/Seismo.Bench -- cluster</c>) both start their clusters with it.
/// </summary>
public sealed class SeismoCluster : IAsyncDisposable
{
    public const string AdminKey = "smo_cluster_admin_key_00000000000000";

    private readonly Dictionary<string, string> _environment;
    private readonly List<NodeProcess> _all = [];
    private readonly (int SiloPort, int GatewayPort, int MetricsPort)[] _ports;

    private SeismoCluster(string connectionString, string workDir, int silos, IReadOnlyDictionary<string, string>? extra)
    {
        ConnectionString = connectionString;
        WorkDir = workDir;
        _ports = Enumerable.Range(0, silos).Select(_ => (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort())).ToArray();
        Silos = new NodeProcess?[silos];
        _environment = new Dictionary<string, string>
        {
            ["Seismo__Mode"] = "Cluster",
            ["ConnectionStrings__Seismo"] = connectionString,
            ["Seismo__ArchiveDir"] = Path.Combine(workDir, "archives"),
            ["Seismo__Cluster__ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["Seismo__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Seismo__FlushInterval"] = "00:00:02",
            ["Seismo__Webhooks__AllowPrivateTargets"] = "true",
            ["SEISMO_ADMIN_KEY"] = AdminKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) _environment[key] = value;
    }

    public string ConnectionString { get; }

    public string WorkDir { get; }

    public NodeProcess?[] Silos { get; }

    public NodeProcess? Api { get; private set; }

    public string ApiUrl { get; private set; } = "";

    /// <summary>CPU time used so far by the running silo and API processes together.</summary>
    public TimeSpan ProcessorTime => _all.Where(p => !p.HasExited).Aggregate(TimeSpan.Zero, (sum, p) => sum + p.ProcessorTime);

    /// <summary>A fresh database on <paramref name="server"/>, the schema applied by <c>Seismo.Silo migrate</c>, then the silos and one API node.</summary>
    public static async Task<SeismoCluster> StartAsync(PostgresServer server, int silos = 2, IReadOnlyDictionary<string, string>? environment = null)
    {
        var connectionString = await server.CreateDatabaseAsync("seismo_" + Guid.NewGuid().ToString("N")[..12]);
        var workDir = Directory.CreateTempSubdirectory("seismo-cluster-").FullName;
        var cluster = new SeismoCluster(connectionString, workDir, silos, environment);
        var (exit, output) = await NodeProcess.RunAsync("Seismo.Silo.dll", ["migrate"], cluster._environment);
        if (exit != 0) throw new InvalidOperationException("migrate failed: " + output);
        for (var i = 0; i < silos; i++) cluster.StartSilo(i);
        await cluster.StartApiAsync();
        await cluster.WaitForActiveSilosAsync(silos, TimeSpan.FromSeconds(60));
        return cluster;
    }

    public NodeProcess StartSilo(int index)
    {
        var env = new Dictionary<string, string>(_environment)
        {
            ["SEISMO_DATA_DIR"] = Path.Combine(WorkDir, $"silo{index}"),
            ["Seismo__SiloPort"] = _ports[index].SiloPort.ToString(),
            ["Seismo__GatewayPort"] = _ports[index].GatewayPort.ToString(),
            ["Seismo__MetricsPort"] = _ports[index].MetricsPort.ToString(),
        };
        var silo = NodeProcess.Start($"silo{index}", "Seismo.Silo.dll", [], env, WorkDir);
        Silos[index] = silo;
        _all.Add(silo);
        return silo;
    }

    /// <summary>Starts an API node on a new port and waits until it serves requests through the cluster.</summary>
    public async Task StartApiAsync()
    {
        var port = NodeProcess.FreePort();
        var env = new Dictionary<string, string>(_environment) { ["SEISMO_DATA_DIR"] = Path.Combine(WorkDir, "api") };
        Api = NodeProcess.Start("api", "Seismo.Api.dll", ["--urls", $"http://127.0.0.1:{port}"], env, WorkDir);
        _all.Add(Api);
        ApiUrl = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync(ApiUrl + "/api/healthz")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (Api.HasExited) throw new InvalidOperationException("the API node exited during start-up:\n" + Api.Log());
            await Task.Delay(250);
        }
        throw new TimeoutException("the API node did not become healthy within 90 s:\n" + Api.Log());
    }

    /// <summary>An admin client; reads are retried on 503 as a well-behaved client would (after a fault, pooled
    /// database connections fail once each before they are replaced).</summary>
    public HttpClient Client(TimeSpan? timeout = null, bool retryReads = true)
    {
        var http = retryReads ? new HttpClient(new RetryReadsHandler(new HttpClientHandler())) : new HttpClient();
        http.BaseAddress = new Uri(ApiUrl);
        http.Timeout = timeout ?? TimeSpan.FromSeconds(60);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return http;
    }

    /// <summary>Silo address → status, activation count and filtered CPU from <c>GET /api/cluster</c>.</summary>
    public async Task<Dictionary<string, SiloView>> SilosAsync()
    {
        using var http = Client(TimeSpan.FromSeconds(15));
        var body = await http.GetFromJsonAsync<JsonElement>("/api/cluster");
        return body.GetProperty("silos").EnumerateArray().ToDictionary(
            s => s.GetProperty("address").GetString()!,
            s => new SiloView(s.GetProperty("status").GetString()!,
                s.GetProperty("activations").ValueKind == JsonValueKind.Number ? s.GetProperty("activations").GetInt32() : null,
                s.GetProperty("cpuUsage").ValueKind == JsonValueKind.Number ? s.GetProperty("cpuUsage").GetDouble() : null));
    }

    /// <summary>Where silo <paramref name="index"/> serves its metrics for Prometheus (Seismo:MetricsPort).</summary>
    public string SiloMetricsUrl(int index) => $"http://127.0.0.1:{_ports[index].MetricsPort}/metrics";

    /// <summary>The membership address of silo <paramref name="index"/>'s current generation prefix ("127.0.0.1:port@").</summary>
    public string AddressPrefix(int index) => $"127.0.0.1:{_ports[index].SiloPort}@";

    public async Task<TimeSpan> WaitForActiveSilosAsync(int count, TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        var last = "";
        while (true)
        {
            try
            {
                var silos = await SilosAsync();
                if (silos.Values.Count(s => s.Status == "Active") == count) return DateTime.UtcNow - started;
                last = string.Join(", ", silos.Select(s => $"{s.Key}={s.Value.Status}"));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException) { last = e.Message; }
            if (DateTime.UtcNow - started > timeout) throw new TimeoutException($"{count} active silos not reached within {timeout}; last: {last}\n{Logs()}");
            await Task.Delay(200);
        }
    }

    /// <summary>The logs of every process, for a failed assertion's message.</summary>
    public string Logs() => string.Join("\n", _all.Select(p => $"===== {p.Name} =====\n{Tail(p.Log())}"));

    private static string Tail(string log) => log.Length > 6000 ? log[^6000..] : log;

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _all) await process.DisposeAsync();
        try { Directory.Delete(WorkDir, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>One silo as <c>GET /api/cluster</c> reports it.</summary>
public sealed record SiloView(string Status, int? Activations, double? CpuUsage);

/// <summary>Retries a GET answered 503, a few times, after a short pause.</summary>
public sealed class RetryReadsHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await base.SendAsync(request, ct);
            if (request.Method != HttpMethod.Get || (int)response.StatusCode != 503 || attempt == 10) return response;
            response.Dispose();
            await Task.Delay(250, ct);
        }
    }
}
