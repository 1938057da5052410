using Microsoft.Extensions.Options;
using Seismo.Api.Auth;
using Seismo.Domain.Settings;
using Seismo.Grains;
using Seismo.Grains.Hosting;

namespace Seismo.Api.Settings;

/// <summary>What the data dir holds: its files' total, the file system's space, and per-directory totals.</summary>
public sealed record DataDirScan(long UsedBytes, DiskSpace Space, IReadOnlyList<(string RelativePath, long Bytes)> Groups, DateTimeOffset At);

/// <summary>
/// Measures the data dir. The walk over its files is cached for <see cref="CacheFor"/>; the breakdown names each
/// project of the caller's account as <c>envId/projectSlug</c> and leaves out directories of projects it cannot see.
/// </summary>
public sealed class DiskUsage(IOptions<SeismoOptions> options, TimeProvider clock)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _scanLock = new(1, 1);
    private DataDirScan? _scan;

    public async Task<(DataDirScan Scan, IReadOnlyList<DiskEntry> Breakdown)> MeasureAsync(IGrainFactory grains, SeismoCaller caller)
    {
        var scan = await ScanAsync();
        var label = await LabelsAsync(grains, caller.AccountId);
        return (scan, DiskBreakdown.Compute(scan.Groups, label));
    }

    /// <summary>The file system's capacity and the space left for this user; zeros when it cannot be read.</summary>
    public DiskSpace Space()
    {
        try
        {
            var drive = new DriveInfo(Path.GetFullPath(options.Value.DataDir));
            return new DiskSpace(drive.TotalSize, drive.AvailableFreeSpace);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new DiskSpace(0, 0);
        }
    }

    private async Task<DataDirScan> ScanAsync()
    {
        if (_scan is { } fresh && clock.GetUtcNow() - fresh.At < CacheFor) return fresh;
        await _scanLock.WaitAsync();
        try
        {
            if (_scan is { } again && clock.GetUtcNow() - again.At < CacheFor) return again;
            return _scan = await Task.Run(Walk);
        }
        finally { _scanLock.Release(); }
    }

    // Totals per project-level directory (reports/env/project, builds/project, archives/project), so the cache stays
    // small however many files there are.
    private DataDirScan Walk()
    {
        var root = Path.GetFullPath(options.Value.DataDir);
        var groups = new Dictionary<string, long>(StringComparer.Ordinal);
        long used = 0;
        var enumeration = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in new DirectoryInfo(root).EnumerateFiles("*", enumeration))
        {
            long length;
            try { length = file.Length; }
            catch (FileNotFoundException) { continue; }
            used += length;
            var parts = Path.GetRelativePath(root, file.FullName).Split(Path.DirectorySeparatorChar);
            var depth = parts[0] == "reports" ? 3 : parts[0] is "builds" or "archives" ? 2 : 1;
            if (parts.Length <= depth) continue;
            var key = string.Join('/', parts.Take(depth));
            groups[key] = groups.GetValueOrDefault(key) + length;
        }
        return new DataDirScan(used, Space(), groups.Select(g => (g.Key, g.Value)).ToList(), clock.GetUtcNow());
    }

    private static async Task<Func<string?, string, string?>> LabelsAsync(IGrainFactory grains, Guid accountId)
    {
        var account = await grains.GetGrain<IAccountGrain>(accountId).GetAsync();
        var projects = await Task.WhenAll((account?.ProjectIds ?? []).Select(id => grains.GetGrain<IProjectGrain>(id).GetAsync()));
        var environments = await grains.GetGrain<IOverviewGrain>(accountId).GetProjectEnvironmentsAsync();
        var known = projects.OfType<ProjectInfo>()
            .Select(p => (Project: p, Env: environments.GetValueOrDefault(p.Id) ?? IOverviewGrain.DefaultEnvironmentId))
            .ToList();
        return (env, directory) =>
        {
            var match = Guid.TryParse(directory, out var id)
                ? known.FirstOrDefault(k => k.Project.Id == id)
                : known.FirstOrDefault(k => k.Project.Slug == directory && (env is null || k.Env == env));
            return match.Project is null ? null : $"{match.Env}/{match.Project.Slug}";
        };
    }
}
