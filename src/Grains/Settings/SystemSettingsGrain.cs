using System.Text.Json;
using Seismo.Domain.Settings;

namespace Seismo.Grains.Settings;

[GenerateSerializer]
public sealed class SystemSettingsState
{
    [Id(0)] public int? DiskThresholdPercent { get; set; }
    [Id(1)] public bool DiskAbove { get; set; }
}

/// <summary>The disk alert threshold and whether usage is above it; crossing it notifies the owning account once.</summary>
public sealed class SystemSettingsGrain(
    [PersistentState("system-settings", "Default")] IPersistentState<SystemSettingsState> state) : Grain, ISystemSettingsGrain
{
    private int Threshold => state.State.DiskThresholdPercent ?? ISystemSettingsGrain.DefaultDiskThresholdPercent;

    public Task<int> GetDiskThresholdAsync() => Task.FromResult(Threshold);

    public async Task SetDiskThresholdAsync(int percent, DiskSpace space)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        state.State.DiskThresholdPercent = percent;
        await state.WriteStateAsync();
        await CheckDiskAsync(space);
    }

    public async Task<Notification?> CheckDiskAsync(DiskSpace space)
    {
        var check = DiskAlert.Evaluate(state.State.DiskAbove, space.TotalBytes, space.FreeBytes, Threshold);
        if (check.Above == state.State.DiskAbove) return null;
        Notification? raised = null;
        if (check.Crossed)
        {
            // Account-wide: the server's owner (the account created on first start) is told.
            var owner = (await GrainFactory.GetGrain<IBootstrapGrain>(0).EnsureAsync(null)).AccountId;
            var payload = JsonSerializer.Serialize(new
            {
                usedPercent = check.UsedPercent, thresholdPercent = Threshold,
                usedBytes = space.TotalBytes - space.FreeBytes, freeBytes = space.FreeBytes, totalBytes = space.TotalBytes,
            });
            var draft = new NotificationDraft(null, NotificationCategory.System, NotificationSeverity.Warning,
                $"Disk usage at {check.UsedPercent}% (threshold {Threshold}%)",
                $"The data directory's file system is {check.UsedPercent}% full: {space.FreeBytes} of {space.TotalBytes} bytes free.",
                payload, null);
            raised = (await GrainFactory.GetGrain<INotificationInboxGrain>(owner).RaiseAsync([draft])).FirstOrDefault();
        }
        state.State.DiskAbove = check.Above;
        await state.WriteStateAsync();
        return raised;
    }
}
