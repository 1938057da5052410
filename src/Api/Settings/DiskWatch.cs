using Seismo.Grains;

namespace Seismo.Api.Settings;

/// <summary>
/// Checks the data dir's file system against the alert threshold every <c>Seismo:Disk:CheckInterval</c> (default
/// one minute), so crossing it notifies even when nobody looks at the settings. Reading free space is one stat call.
/// </summary>
public sealed class DiskWatch(DiskUsage disk, IGrainFactory grains, IConfiguration configuration, ILogger<DiskWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = configuration.GetValue("Seismo:Disk:CheckInterval", TimeSpan.FromMinutes(1));
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await grains.GetGrain<ISystemSettingsGrain>(0).CheckDiskAsync(disk.Space()); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The silo may be starting or stopping; the next tick tries again.
                logger.LogDebug(e, "Disk usage check failed");
            }
        }
    }
}
