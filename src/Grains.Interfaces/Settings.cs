namespace Seismo.Grains;

/// <summary>What the data dir's file system reports: capacity and space left for the server's user.</summary>
[GenerateSerializer, Immutable]
public sealed record DiskSpace(
    [property: Id(0)] long TotalBytes,
    [property: Id(1)] long FreeBytes);

/// <summary>The server's retention settings (reports, upload files and build results; runs follow each project's own).</summary>
[GenerateSerializer, Immutable]
public sealed record RetentionSettings(
    [property: Id(0)] int RetentionDays,
    [property: Id(1)] int IntervalHours,
    [property: Id(2)] bool DryRun)
{
    public static RetentionSettings Defaults { get; } = new(90, 24, false);
}

/// <summary>One cleanup sweep as recorded: counts of builds removed (or that would be, in a dry run) and skipped.</summary>
[GenerateSerializer, Immutable]
public sealed record CleanupRun(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset FinishedAt,
    [property: Id(3)] string Status,
    [property: Id(4)] int DeletedCount,
    [property: Id(5)] int SkippedCount,
    [property: Id(6)] bool DryRun,
    [property: Id(7)] string? ErrorMessage);
