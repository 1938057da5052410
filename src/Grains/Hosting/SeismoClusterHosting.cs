using Seismo.Grains.Reports;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Seismo.Grains.Storage;
using Seismo.Grains.Telemetry;
using Seismo.Grains.Webhooks;

namespace Seismo.Grains.Hosting;

/// <summary>
/// Cluster mode: silos (<c>src/Silo</c>) share membership, grain state, reminders, the run log and the webhook outbox
/// in PostgreSQL; API nodes are Orleans clients that find the gateways in the membership table.
/// </summary>
public static class SeismoClusterHosting
{
    public const string ConnectionStringName = "Seismo";

    /// <summary>The PostgreSQL connection string of a cluster (ConnectionStrings:Seismo); fails with what to set.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException("Seismo:Mode=Cluster needs ConnectionStrings:Seismo (a PostgreSQL connection string)");

    /// <summary>
    /// Creates or updates every table a cluster uses. Idempotent and serialised by an advisory lock, so silos
    /// starting together may all run it; <c>Seismo.Silo migrate</c> runs only this.
    /// </summary>
    public static Task MigrateAsync(string connectionString, CancellationToken ct) =>
        SchemaInstaller.ApplyPostgresAsync(connectionString, [SchemaInstaller.SeismoPostgresScript], ct);

    internal static IHostApplicationBuilder AddClusterSilo(this IHostApplicationBuilder builder, SeismoOptions options)
    {
        var connectionString = ConnectionString(builder.Configuration);
        MigrateWithRetryAsync(connectionString).GetAwaiter().GetResult();
        Directory.CreateDirectory(options.DataDir);

        builder.Services.AddSingleton<IRunStore>(new PostgresRunStore(connectionString));
        builder.Services.AddSingleton(SharedArchives(options));
        var cluster = options.Cluster;
        var advertised = AdvertisedAddress(cluster.AdvertisedAddress);

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.ConfigureEndpoints(advertised, SeismoSiloHosting.FreePortIfZero(options.SiloPort),
                SeismoSiloHosting.FreePortIfZero(options.GatewayPort), listenOnAnyHostAddress: true);
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = SchemaInstaller.PostgresInvariant;
                o.ConnectionString = connectionString;
            });
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = cluster.ProbeTimeout;
                o.NumMissedProbesLimit = cluster.NumMissedProbesLimit;
                o.TableRefreshTimeout = cluster.TableRefreshTimeout;
                o.IAmAliveTablePublishTimeout = cluster.IAmAliveTablePublishTimeout;
                // A vote older than a few probe rounds says nothing about the silo now.
                o.DeathVoteExpirationTimeout = cluster.ProbeTimeout * cluster.NumMissedProbesLimit * 4;
            });
            silo.AddAdoNetGrainStorage(SeismoSiloHosting.StorageName, (OptionsBuilder<AdoNetGrainStorageOptions> o) => o.Configure<Serializer>((storage, serializer) =>
            {
                storage.Invariant = SchemaInstaller.PostgresInvariant;
                storage.ConnectionString = connectionString;
                storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = SchemaInstaller.PostgresInvariant;
                o.ConnectionString = connectionString;
            });
            silo.Services.Configure<ExceptionSerializationOptions>(AllowDatabaseExceptions);
            SeismoSiloHosting.AddSeismoSiloParts(silo);
        });
        builder.AddSeismoWebhooks(new PostgresWebhookOutbox(connectionString, TimeProvider.System));
        builder.AddSeismoUploadsAndReports();
        return builder;
    }

    internal static IHostApplicationBuilder AddClusterClient(this IHostApplicationBuilder builder, SeismoOptions options)
    {
        var connectionString = ConnectionString(builder.Configuration);
        builder.Services.AddSingleton(SharedArchives(options));
        var cluster = options.Cluster;
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = SchemaInstaller.PostgresInvariant;
                o.ConnectionString = connectionString;
            });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = cluster.GatewayListRefreshPeriod);
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
            client.Services.Configure<ExceptionSerializationOptions>(AllowDatabaseExceptions);
            client.AddSeismoDashboard();
            // An API node may start before any silo: keep trying rather than failing the host.
            client.UseConnectionRetryFilter(async (_, ct) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                return true;
            });
        });
        return builder;
    }

    // A database outage surfaces in a silo as Npgsql's exceptions (from Orleans' grain storage, or inside ours); they
    // must reach the API node as themselves so it can answer 503 rather than fail to deserialize them.
    private static void AllowDatabaseExceptions(ExceptionSerializationOptions options)
    {
        options.SupportedNamespacePrefixes.Add("Npgsql");
        options.SupportedNamespacePrefixes.Add("Seismo");
    }

    private static ArchiveStore SharedArchives(SeismoOptions options) =>
        new(options.ArchiveDir is { Length: > 0 } dir
            ? dir
            : throw new InvalidOperationException(
                "Seismo:Mode=Cluster needs Seismo:ArchiveDir: a directory every API node shares (raw uploads must survive losing a node)"));

    // Silos of a fresh deployment may start before PostgreSQL accepts connections.
    private static async Task MigrateWithRetryAsync(string connectionString)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(connectionString, CancellationToken.None);
                return;
            }
            catch (Exception e) when (attempt < 30 && e is Npgsql.NpgsqlException or TimeoutException)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    private static IPAddress AdvertisedAddress(string? configured)
    {
        if (configured is { Length: > 0 })
        {
            if (IPAddress.TryParse(configured, out var ip)) return ip;
            return Dns.GetHostAddresses(configured).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new InvalidOperationException($"Seismo:Cluster:AdvertisedAddress '{configured}' has no IPv4 address");
        }
        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? IPAddress.Loopback;
    }
}
