namespace Seismo.Grains.Hosting;

/// <summary>
/// The "Seismo:Cluster" section: how silos and API nodes of one deployment find and watch each other. The database
/// comes from <c>ConnectionStrings:Seismo</c>.
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>Every silo and client of one deployment uses the same ClusterId; rows of others are ignored.</summary>
    public string ClusterId { get; set; } = "seismo";

    /// <summary>Keys grain state and reminders: keep it stable across deployments or state is not found again.</summary>
    public string ServiceId { get; set; } = "seismo";

    /// <summary>
    /// The address other silos and clients connect to (an IP or a host name resolved at start). Empty: the first
    /// non-loopback IPv4 address of the host. Silos listen on every interface either way.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>How long a probe of another silo may take before it counts as missed (Orleans default 5 s).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes before a silo suspects another (Orleans default 3).</summary>
    public int NumMissedProbesLimit { get; set; } = 3;

    /// <summary>How often each silo reads the membership table besides gossip (Orleans default 60 s).</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a silo writes its I-am-alive time (Orleans default 30 s).</summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an API node re-reads the gateway list (Orleans default 1 min).</summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long an API node waits for a grain call before answering 503 (Orleans default 30 s). A call to a silo
    /// that died mid-request fails at this bound at the latest.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
