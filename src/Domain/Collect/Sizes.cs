using System.Globalization;

namespace Seismo.Domain.Collect;

internal static class Sizes
{
    /// <summary>"5 MB", "64 KB", "5242881 bytes": whole units only, so limits read exactly.</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes / 1024} KB",
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
