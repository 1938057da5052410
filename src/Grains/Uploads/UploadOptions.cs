namespace Seismo.Grains.Uploads;

/// <summary>The "Seismo:Uploads" configuration section.</summary>
public sealed class UploadOptions
{
    public const string Section = "Seismo:Uploads";

    /// <summary>A session still uploading this long after its last chunk fails as abandoned and its files are removed.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Cap on one upload (the streamed body, or a chunked upload's totalSize).</summary>
    public long MaxUploadBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    public int MaxEntries { get; set; } = 100_000;

    public long MaxUncompressedBytes { get; set; } = 4L * 1024 * 1024 * 1024;

    public int MaxCompressionRatio { get; set; } = 200;

    /// <summary>Sessions kept per account for listing; the oldest finished ones are forgotten first.</summary>
    public int MaxListedSessions { get; set; } = 1000;
}

/// <summary>The "Seismo:Allure" configuration section.</summary>
public sealed class AllureOptions
{
    public const string Section = "Seismo:Allure";

    /// <summary>The Allure CLI to run; when empty, see <see cref="Reports.AllureCli"/> for the lookup order.</summary>
    public string? Command { get; set; }

    public TimeSpan GenerateTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Reports generated at the same time.</summary>
    public int Concurrency { get; set; } = 1;
}
