using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Seismo.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL server: initdb into a fresh directory under /tmp, start it on
/// a free loopback port with trust auth, and on dispose stop it and delete the directory.
/// PostgreSQL refuses to run as root, so under root the binaries run as the
/// <c>postgres</c> account via runuser.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    private const string Superuser = "postgres";

    private PostgresServer(string dataDirectory, int port)
    {
        DataDirectory = dataDirectory;
        Port = port;
    }

    /// <summary>Where initdb and pg_ctl live; SEISMO_PG_BIN overrides the default.</summary>
    public static string BinDirectory =>
        Environment.GetEnvironmentVariable("SEISMO_PG_BIN") is { Length: > 0 } dir ? dir : DefaultBinDirectory;

    /// <summary>Null when a server can be started here, otherwise why not.</summary>
    public static string? UnavailableReason { get; } = FindUnavailableReason();

    public string DataDirectory { get; }

    public int Port { get; }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database};Timeout=15;Command Timeout=60";

    public static async Task<PostgresServer> StartAsync(CancellationToken ct = default)
    {
        if (UnavailableReason is not null) throw new InvalidOperationException(UnavailableReason);

        var dataDirectory = Path.Combine(Path.GetTempPath(), $"seismo-pg-{Guid.NewGuid():N}");
        try
        {
            await RunAsync("initdb", ["-D", dataDirectory, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-sync"], asServerAccount: true, ct);
        }
        catch
        {
            if (Directory.Exists(dataDirectory)) Directory.Delete(dataDirectory, recursive: true);
            throw;
        }

        // A port probed free can be taken before the server binds it, so retry a few times.
        for (var attempt = 1; ; attempt++)
        {
            var server = new PostgresServer(dataDirectory, FreeLoopbackPort());
            try
            {
                await server.StartServerAsync(ct);
                return server;
            }
            catch (Exception) when (attempt < 3)
            {
                await server.StopQuietlyAsync();
            }
            catch
            {
                var logPath = Path.Combine(dataDirectory, "server.log");
                var log = File.Exists(logPath) ? File.ReadAllText(logPath) : "(no server log)";
                await server.DisposeAsync();
                throw new InvalidOperationException($"PostgreSQL did not start:\n{log}");
            }
        }
    }

    /// <summary>Stops the server the way an outage would: connections are cut, in-flight transactions roll back.</summary>
    public Task StopAsync(CancellationToken ct = default) => PgCtlAsync(ct, "stop", "-w", "-m", "fast");

    /// <summary>Starts a stopped server again on the same port and data directory.</summary>
    public Task StartAgainAsync(CancellationToken ct = default) => StartServerAsync(ct);

    private Task StartServerAsync(CancellationToken ct) =>
        PgCtlAsync(ct, "start", "-w", "-t", "60", "-l", Path.Combine(DataDirectory, "server.log"), "-o",
            $"-p {Port} -k {DataDirectory} -c listen_addresses=127.0.0.1 " +
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 " +
            // Not UTC on purpose: a UTC/local mix-up in date handling then shows in tests.
            "-c timezone=Asia/Kolkata");

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(ct);
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        await StopQuietlyAsync();
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    private async Task StopQuietlyAsync()
    {
        try { await PgCtlAsync(CancellationToken.None, "stop", "-w", "-m", "immediate"); }
        catch (InvalidOperationException) { }
    }

    /// <summary>Runs a SQL file through psql the way docker-entrypoint-initdb.d does (stop on the first error).</summary>
    public Task RunPsqlFileAsync(string database, string path, CancellationToken ct = default) =>
        RunAsync("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", $"{Port}",
            "-U", Superuser, "-d", database, "-f", path], asServerAccount: false, ct);

    private Task PgCtlAsync(CancellationToken ct, params string[] args) =>
        RunAsync("pg_ctl", ["-D", DataDirectory, .. args], asServerAccount: true, ct);

    private static async Task RunAsync(string tool, IReadOnlyList<string> args, bool asServerAccount, CancellationToken ct)
    {
        var executable = Path.Combine(BinDirectory, tool);
        var viaRunuser = asServerAccount && Environment.IsPrivilegedProcess;
        var start = new ProcessStartInfo
        {
            FileName = viaRunuser ? "runuser" : executable,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (viaRunuser)
        {
            foreach (var arg in (string[])["-u", Superuser, "--", executable]) start.ArgumentList.Add(arg);
        }
        foreach (var arg in args) start.ArgumentList.Add(arg);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(ct), process.StandardError.ReadToEndAsync(ct));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (process.ExitCode != 0)
        {
            // Do not wait long for EOF: a started server may still hold the pipes.
            await Task.WhenAny(output, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
            var text = output.IsCompletedSuccessfully ? string.Join('\n', output.Result).Trim() : "(no output)";
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited with {process.ExitCode}: {text}");
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindUnavailableReason()
    {
        if (!OperatingSystem.IsLinux()) return "PostgreSQL tests run on Linux only";
        foreach (var tool in new[] { "initdb", "pg_ctl" })
        {
            if (!File.Exists(Path.Combine(BinDirectory, tool)))
                return $"PostgreSQL 15 is not installed ({Path.Combine(BinDirectory, tool)} missing; apt-get install postgresql-15)";
        }
        if (Environment.IsPrivilegedProcess)
        {
            if (!File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser"))
                return "running as root but runuser is missing, so PostgreSQL cannot be started as a non-root user";
            if (!File.ReadLines("/etc/passwd").Any(line => line.StartsWith(Superuser + ":", StringComparison.Ordinal)))
                return "running as root but there is no 'postgres' account to run PostgreSQL as";
        }
        return null;
    }
}
