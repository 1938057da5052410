using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Seismo.Grains.Hosting;
using Seismo.Grains.Reports;
using Seismo.Grains.Uploads;

namespace Seismo.Api.Settings;

/// <summary>The outcome of an install: the version now installed, or npm's stderr.</summary>
public sealed record AllureInstall(bool Succeeded, string Version, string Error);

/// <summary>
/// The Allure command-line tool Seismo runs: which version is installed, the latest on npm (cached for an hour), and
/// installing a version with npm under <c>&lt;DataDir&gt;/tools/allure</c>, a prefix Seismo owns (never globally).
/// The command is <c>Seismo:Allure:Command</c> when set, else the one installed there, else <c>allure</c> on PATH.
/// </summary>
public sealed class AllureTool(IOptions<SeismoOptions> options, IConfiguration configuration, IHttpClientFactory http, TimeProvider clock, ILogger<AllureTool> logger)
{
    public const string HttpClientName = "npm-registry";
    public static readonly TimeSpan LatestCacheFor = TimeSpan.FromHours(1);
    private static readonly TimeSpan UnreachableCacheFor = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan InstalledCacheFor = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _install = new(1, 1);
    private (string Version, DateTimeOffset Until)? _latest;
    private (string Version, DateTimeOffset Until)? _installed;

    public string Registry => (configuration["Seismo:Allure:Registry"] is { Length: > 0 } r ? r : "https://registry.npmjs.org").TrimEnd('/');

    public string Prefix => DataPaths.AllureTool(options.Value.DataDir);

    /// <summary>The CLI report generation runs (one lookup for both, see <see cref="AllureCli"/>).</summary>
    public string Command => AllureCli.Locate(new AllureOptions { Command = configuration["Seismo:Allure:Command"] }, options.Value.DataDir) ?? "allure";

    /// <summary>
    /// <c>allure --version</c>, or "" when no CLI is found. Remembered for a minute (it starts a process), and
    /// forgotten at once by an install.
    /// </summary>
    public async Task<string> InstalledVersionAsync(CancellationToken ct)
    {
        if (_installed is { } known && clock.GetUtcNow() < known.Until) return known.Version;
        var (exit, stdout, _) = await RunAsync(Command, ["--version"], VersionTimeout, ct);
        var version = exit == 0 ? stdout.Trim().Split('\n').LastOrDefault()?.Trim() ?? "" : "";
        _installed = (version, clock.GetUtcNow() + InstalledCacheFor);
        return version;
    }

    /// <summary>The registry's <c>latest</c> tag, or "" when it cannot be reached.</summary>
    public async Task<string> LatestVersionAsync(CancellationToken ct)
    {
        if (_latest is { } cached && clock.GetUtcNow() < cached.Until) return cached.Version;
        string version;
        try
        {
            using var response = await http.CreateClient(HttpClientName).GetAsync($"{Registry}/allure/latest", ct);
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            version = doc.RootElement.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or Polly.Timeout.TimeoutRejectedException
            or Polly.CircuitBreaker.BrokenCircuitException)
        {
            logger.LogInformation("npm registry unreachable: {Message}", e.Message);
            version = "";
        }
        // An unreachable registry is asked again sooner than an hour, and never waited on by every request.
        _latest = (version, clock.GetUtcNow() + (version.Length > 0 ? LatestCacheFor : UnreachableCacheFor));
        return version;
    }

    /// <summary>False only when the registry says the version does not exist; unreachable means "let npm decide".</summary>
    public async Task<bool> IsPublishedAsync(string version, CancellationToken ct)
    {
        try
        {
            using var response = await http.CreateClient(HttpClientName).GetAsync($"{Registry}/allure/{version}", ct);
            return response.StatusCode != HttpStatusCode.NotFound;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException
            or Polly.CircuitBreaker.BrokenCircuitException)
        {
            return true;
        }
    }

    /// <summary><c>npm install --prefix &lt;DataDir&gt;/tools/allure allure@&lt;version&gt;</c>, one install at a time.</summary>
    public async Task<AllureInstall> InstallAsync(string version, CancellationToken ct)
    {
        await _install.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(Prefix);
            var (exit, _, stderr) = await RunAsync("npm",
                ["install", "--prefix", Prefix, "--no-audit", "--no-fund", "--save-exact", "--registry", Registry, $"allure@{version}"], InstallTimeout, ct);
            _installed = null;
            if (exit != 0) return new AllureInstall(false, "", stderr.Length > 0 ? stderr : $"npm exited with code {exit}");
            return new AllureInstall(true, await InstalledVersionAsync(ct), "");
        }
        finally { _install.Release(); }
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string file, string[] args, TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(start)!; }
        catch (Win32Exception e)
        {
            return (-1, "", $"{file}: {e.Message}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var stderr = process.StandardError.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try { await process.WaitForExitAsync(limit.Token); }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"{file} did not finish within {timeout.TotalSeconds:0} s");
            }
            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
