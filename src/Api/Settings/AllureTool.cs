using System.Net;
using System.Text.Json;
using Seismo.Grains;

namespace Seismo.Api.Settings;

/// <summary>The outcome of an install on every silo: the version now installed, or npm's stderr (naming the silo).</summary>
public sealed record AllureInstall(bool Succeeded, string Version, string Error, IReadOnlyList<AllureToolVersion> Silos);

/// <summary>
/// The Allure command-line tool reports are generated with. Reports are generated in silos, so the installed version
/// and installs are asked of every active silo (an <see cref="IAllureToolGrain"/> placed on each): in embedded mode
/// that is this process, in cluster mode each silo installs under its own data dir. The latest version on npm is
/// asked here (cached for an hour).
/// </summary>
public sealed class AllureTool(IGrainFactory grains, IConfiguration configuration, IHttpClientFactory http, TimeProvider clock, ILogger<AllureTool> logger)
{
    public const string HttpClientName = "npm-registry";
    public static readonly TimeSpan LatestCacheFor = TimeSpan.FromHours(1);
    private static readonly TimeSpan UnreachableCacheFor = TimeSpan.FromMinutes(1);
    // Orleans' IPlacementDirector.PlacementHintKey: a new activation goes to the silo given under this key.
    private const string PlacementHintKey = "PlacementHintKey";

    private (string Version, DateTimeOffset Until)? _latest;

    public string Registry => (configuration["Seismo:Allure:Registry"] is { Length: > 0 } r ? r : "https://registry.npmjs.org").TrimEnd('/');

    /// <summary>The version on each active silo ("" where it finds no CLI).</summary>
    public async Task<IReadOnlyList<AllureToolVersion>> InstalledVersionsAsync() =>
        await Task.WhenAll((await SilosAsync()).Select(silo => OnSiloAsync(silo, tool => tool.GetVersionAsync())));

    /// <summary>The one version every silo runs; when they differ, each distinct one (comma separated).</summary>
    public static string Summary(IReadOnlyList<AllureToolVersion> silos) =>
        string.Join(", ", silos.Select(s => s.Version).Distinct().Order(StringComparer.Ordinal));

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

    /// <summary>Installs the version on every active silo at once; succeeded only when every silo did.</summary>
    public async Task<AllureInstall> InstallAsync(string version)
    {
        var results = await Task.WhenAll((await SilosAsync()).Select(silo => OnSiloAsync(silo, tool => tool.InstallAsync(version, Registry))));
        var versions = results.Select(r => new AllureToolVersion(r.Silo, r.Version)).ToList();
        var failed = results.Where(r => !r.Succeeded).ToList();
        if (failed.Count == 0) return new AllureInstall(true, Summary(versions), "", versions);
        var error = results.Length == 1 ? failed[0].Error : string.Join("\n", failed.Select(f => $"silo {f.Silo}: {f.Error}"));
        return new AllureInstall(false, "", error, versions);
    }

    private async Task<SiloAddress[]> SilosAsync() =>
        (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();

    private async Task<T> OnSiloAsync<T>(SiloAddress silo, Func<IAllureToolGrain, Task<T>> call)
    {
        RequestContext.Set(PlacementHintKey, silo);
        try { return await call(grains.GetGrain<IAllureToolGrain>(silo.ToParsableString())); }
        finally { RequestContext.Remove(PlacementHintKey); }
    }
}
