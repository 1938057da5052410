namespace Seismo.Domain.Settings;

/// <summary>The file system's usage against the alert threshold, and whether this check crossed it.</summary>
public readonly record struct DiskAlertCheck(int UsedPercent, bool Above, bool Crossed);

/// <summary>
/// Disk-usage alerting: usage is the file system's used share ((total − free) / total). An alert fires when usage
/// goes from below the threshold to at or above it; it re-arms once usage is below again. Plain code.
/// </summary>
public static class DiskAlert
{
    public static DiskAlertCheck Evaluate(bool wasAbove, long totalBytes, long freeBytes, int thresholdPercent)
    {
        // An unreadable file system (0 total) never alerts.
        if (totalBytes <= 0) return new DiskAlertCheck(0, false, false);
        var usedPercent = (int)Math.Clamp(100.0 * (totalBytes - Math.Clamp(freeBytes, 0, totalBytes)) / totalBytes, 0, 100);
        var above = usedPercent >= thresholdPercent;
        return new DiskAlertCheck(usedPercent, above, above && !wasAbove);
    }
}
