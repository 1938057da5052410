namespace Seismo.Grains.Hosting;

/// <summary>How Seismo is hosted: <c>Embedded</c> (one process, SQLite) or <c>Cluster</c> (PostgreSQL).</summary>
public enum HostingMode { Embedded, Cluster }

/// <summary>The "Seismo" configuration section.</summary>
public sealed class SeismoOptions
{
    public const string Section = "Seismo";

    public HostingMode Mode { get; set; } = HostingMode.Embedded;

    /// <summary>Where the embedded store and raw uploads live (SEISMO_DATA_DIR or Seismo:DataDir).</summary>
    public string DataDir { get; set; } = "data";

    /// <summary>Orleans silo-to-silo port (0 picks a free one).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Orleans gateway port for clients (0 picks a free one).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// Where raw uploads are kept; by default <c>DataDir/archives</c>. In cluster mode it must be set explicitly to a
    /// volume every API node shares, so no acknowledged upload lives only on one node's disk.
    /// </summary>
    public string? ArchiveDir { get; set; }

    /// <summary>Cluster mode: identity, addresses and failure-detection timing.</summary>
    public ClusterSettings Cluster { get; set; } = new();

    public Dictionary<string, TierLimits> Tiers { get; set; } = TierLimits.Defaults();

    /// <summary>
    /// How often dirty grain state is written behind. Longer means fewer writes (each is a SQLite transaction) and
    /// more runs to replay after a crash; the run log keeps every acknowledged run either way.
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How soon raised notifications are written behind; changes a person makes are written at once.</summary>
    public TimeSpan InboxFlushDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After fanning out a batch of runs, how long a project's lane waits so that the runs accepted meanwhile go out
    /// together (one call per test rather than per result). Only a busy project waits: a run reaching an idle lane
    /// goes out at once. Zero sends every batch as soon as the previous one is out.
    /// </summary>
    public TimeSpan FanOutLinger { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long a store command waits for a busy database before the request answers 503.</summary>
    public int StoreTimeoutSeconds { get; set; } = 30;

    /// <summary>Cap on the decompressed size of one collect archive (zstd bombs).</summary>
    public long MaxDecompressedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Cap on one collect request body.</summary>
    public long MaxArchiveBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Recent events each project keeps for clients resuming a live stream (Last-Event-ID, afterSequence).</summary>
    public int LiveReplayCapacity { get; set; } = 1000;

    public TierLimits LimitsFor(Tier tier) =>
        Tiers.TryGetValue(tier.ToString().ToLowerInvariant(), out var limits) ? limits : TierLimits.Defaults()[tier.ToString().ToLowerInvariant()];
}

/// <summary>Per-tier limits: observations per clock hour (the rate limit) and per calendar month (the plan).</summary>
public sealed class TierLimits
{
    public int HourlyObservations { get; set; }
    public long MonthlyObservations { get; set; }
    /// <summary>Repositories RunWatch may map onto projects (0 = no limit).</summary>
    public int Repositories { get; set; }

    public static Dictionary<string, TierLimits> Defaults() => new(StringComparer.OrdinalIgnoreCase)
    {
        ["free"] = new() { HourlyObservations = 100, MonthlyObservations = 10_000, Repositories = 3 },
        ["starter"] = new() { HourlyObservations = 500, MonthlyObservations = 100_000, Repositories = 10 },
        ["team"] = new() { HourlyObservations = 2_000, MonthlyObservations = 1_000_000, Repositories = 50 },
        ["business"] = new() { HourlyObservations = 10_000, MonthlyObservations = 10_000_000, Repositories = 500 },
        ["enterprise"] = new() { HourlyObservations = 100_000, MonthlyObservations = 0 },
    };
}
