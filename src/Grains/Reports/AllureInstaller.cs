using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Seismo.Grains.Hosting;
using Seismo.Grains.Uploads;

namespace Seismo.Grains.Reports;

/// <summary>
/// The Allure CLI of this silo, found the way the report generator finds it (<see cref="AllureCli"/>): its version
/// (remembered for a minute, it starts a process) and installing a version with npm under
/// <c>&lt;DataDir&gt;/tools/allure</c>, a prefix Seismo owns (never globally), one install at a time.
/// </summary>
public sealed class AllureInstaller(IOptions<SeismoOptions> seismo, IOptions<AllureOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan InstalledCacheFor = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _install = new(1, 1);
    private (string Version, DateTimeOffset Until)? _installed;

    public string Prefix => DataPaths.AllureTool(seismo.Value.DataDir);

    /// <summary><c>allure --version</c> of the CLI reports are generated with, or "" when none is found.</summary>
    public async Task<string> VersionAsync(CancellationToken ct)
    {
        if (_installed is { } known && clock.GetUtcNow() < known.Until) return known.Version;
        var version = "";
        if (AllureCli.Locate(options.Value, seismo.Value.DataDir) is { } command)
        {
            var (exit, stdout, _) = await RunAsync(command, ["--version"], VersionTimeout, ct);
            version = exit == 0 ? stdout.Trim().Split('\n').LastOrDefault()?.Trim() ?? "" : "";
        }
        _installed = (version, clock.GetUtcNow() + InstalledCacheFor);
        return version;
    }

    /// <summary><c>npm install --prefix &lt;DataDir&gt;/tools/allure allure@&lt;version&gt;</c>; the error is npm's stderr.</summary>
    public async Task<(bool Succeeded, string Version, string Error)> InstallAsync(string version, string registry, CancellationToken ct)
    {
        await _install.WaitAsync(ct);
        try
        {
            Directory.CreateDirectory(Prefix);
            var (exit, _, stderr) = await RunAsync("npm",
                ["install", "--prefix", Prefix, "--no-audit", "--no-fund", "--save-exact", "--registry", registry, $"allure@{version}"], InstallTimeout, ct);
            _installed = null;
            if (exit != 0) return (false, "", stderr.Length > 0 ? stderr : $"npm exited with code {exit}");
            return (true, await VersionAsync(ct), "");
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

/// <summary>One per silo, on that silo: its <see cref="AllureInstaller"/> behind a grain call.</summary>
public sealed class AllureToolGrain(AllureInstaller installer, ILocalSiloDetails silo) : Grain, IAllureToolGrain
{
    private string Silo => silo.SiloAddress.ToParsableString();

    public async Task<AllureToolVersion> GetVersionAsync() => new(Silo, await installer.VersionAsync(CancellationToken.None));

    public async Task<AllureToolInstall> InstallAsync(string version, string registry)
    {
        var (succeeded, installed, error) = await installer.InstallAsync(version, registry, CancellationToken.None);
        return new AllureToolInstall(Silo, succeeded, installed, error);
    }
}
