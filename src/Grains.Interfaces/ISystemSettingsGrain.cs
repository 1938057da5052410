using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>
/// Server-wide settings that are not retention (one grain, key 0): the disk-usage alert threshold and whether usage
/// is above it now, so crossing it notifies once (also across restarts).
/// </summary>
public interface ISystemSettingsGrain : IGrainWithIntegerKey
{
    public const int DefaultDiskThresholdPercent = 85;

    [AlwaysInterleave]
    Task<int> GetDiskThresholdAsync();

    /// <summary>Stores the threshold and checks <paramref name="space"/> against it.</summary>
    Task SetDiskThresholdAsync(int percent, DiskSpace space);

    /// <summary>
    /// Checks the file system's usage against the threshold: when it crosses from below to at or above, raises a
    /// system notification in the owning account's inbox and returns it; back below re-arms the alert.
    /// </summary>
    Task<Notification?> CheckDiskAsync(DiskSpace space);
}
