namespace Seismo.Grains;

/// <summary>The scorer's label of a test, in the order of the scorer's own enum.</summary>
public enum TestLabel : byte { Stable, Suspected, Flaky, Regression, Broken }

/// <summary>A project's settings (Euriqa's project settings).</summary>
[GenerateSerializer, Immutable]
public sealed record ProjectSettings(
    [property: Id(0)] int DataRetentionDays,
    [property: Id(1)] double FlakinessThreshold,
    [property: Id(2)] bool AutoQuarantineEnabled,
    [property: Id(3)] DateTimeOffset UpdatedAt)
{
    public const int DefaultRetentionDays = 90;
    public const double DefaultFlakinessThreshold = 0.3;

    public static ProjectSettings Defaults(DateTimeOffset at) => new(DefaultRetentionDays, DefaultFlakinessThreshold, true, at);

    public ProjectRules Rules => new(AutoQuarantineEnabled, FlakinessThreshold);
}

/// <summary>A partial update of <see cref="ProjectSettings"/>: null fields stay as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record SettingsPatch(
    [property: Id(0)] int? DataRetentionDays,
    [property: Id(1)] double? FlakinessThreshold,
    [property: Id(2)] bool? AutoQuarantineEnabled);

/// <summary>
/// The settings a run is scored under, stored with the run so that a replay after a crash decides exactly as the
/// live path did.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProjectRules(
    [property: Id(0)] bool AutoQuarantine,
    [property: Id(1)] double FlakinessThreshold)
{
    public static ProjectRules Default { get; } = new(true, ProjectSettings.DefaultFlakinessThreshold);
}

/// <summary>
/// A test's flakiness as its project's index keeps it. <see cref="Revision"/> counts the test's changes (runs applied
/// and decisions made), so the index keeps the newest report whatever order they arrive in.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FlakinessReport(
    [property: Id(0)] string KeyHash,
    [property: Id(1)] long Revision,
    [property: Id(2)] double Score,
    [property: Id(3)] TestLabel Label,
    [property: Id(4)] int FlakyRuns,
    [property: Id(5)] DateTimeOffset? LastFlakyAt,
    [property: Id(6)] bool IsQuarantined,
    [property: Id(7)] byte Reason = 0);

/// <summary>
/// A change worth telling people about: the test's label moved, or it entered or left quarantine. Sent by the test
/// grain as it happens; the project turns it into live events and notifications.
/// </summary>
/// <param name="OldLabel">Null when the label did not change.</param>
/// <param name="Quarantined">Null when the quarantine did not change.</param>
/// <param name="DecidedBy">For quarantine changes: the key that decided, or "auto".</param>
[GenerateSerializer, Immutable]
public sealed record TestChange(
    [property: Id(0)] FlakinessReport Report,
    [property: Id(1)] string TestId,
    [property: Id(2)] string Title,
    [property: Id(3)] string? FilePath,
    [property: Id(4)] TestLabel? OldLabel,
    [property: Id(5)] string Reason,
    [property: Id(6)] bool? Quarantined,
    [property: Id(7)] string? DecidedBy,
    [property: Id(8)] string? RunId,
    [property: Id(9)] long RunSequence,
    [property: Id(10)] DateTimeOffset At);

/// <summary>The outcome of a person's quarantine decision.</summary>
[GenerateSerializer, Immutable]
public sealed record QuarantineDecision(
    [property: Id(0)] bool IsQuarantined,
    [property: Id(1)] DateTimeOffset UpdatedAt);

/// <summary>One row of <c>GET /api/flakiness</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record FlakinessRow(
    [property: Id(0)] string TestId,
    [property: Id(1)] string Title,
    [property: Id(2)] string? FilePath,
    [property: Id(3)] double Score,
    [property: Id(4)] TestLabel Label,
    [property: Id(5)] long TotalRuns,
    [property: Id(6)] int FlakyRuns,
    [property: Id(7)] DateTimeOffset? LastFlakyAt,
    [property: Id(8)] bool IsQuarantined,
    [property: Id(9)] string? Reason = null);

/// <summary>Project-wide figures: kept as counters, whatever the filter of the listing.</summary>
[GenerateSerializer, Immutable]
public sealed record FlakinessSummary(
    [property: Id(0)] int FlakyTests,
    [property: Id(1)] int QuarantinedTests,
    [property: Id(2)] double AverageFlakyScore);

[GenerateSerializer, Immutable]
public sealed record FlakinessPage(
    [property: Id(0)] FlakinessRow[] Rows,
    [property: Id(1)] long Total,
    [property: Id(2)] FlakinessSummary Summary);

/// <summary>What a result listing shows of its test: score, label and quarantine, from the project's index.</summary>
[GenerateSerializer, Immutable]
public sealed record TestFlags(
    [property: Id(0)] double Score,
    [property: Id(1)] TestLabel Label,
    [property: Id(2)] bool IsQuarantined);
