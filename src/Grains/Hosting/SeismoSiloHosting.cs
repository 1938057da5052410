using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Seismo.Grains.Reports;
using Seismo.Grains.Storage;
using Seismo.Grains.Telemetry;
using Seismo.Grains.Webhooks;

namespace Seismo.Grains.Hosting;

/// <summary>Hosting a Seismo silo, in the API process (embedded) or on its own (<c>src/Silo</c>).</summary>
public static class SeismoSiloHosting
{
    public const string StorageName = "Default";
    private const string UngatedStorageName = "sqlite";
    private const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>Reads the "Seismo" section, with SEISMO_DATA_DIR and SEISMO_MODE as shorthands.</summary>
    public static SeismoOptions AddSeismoOptions(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SeismoOptions.Section);
        builder.Services.Configure<SeismoOptions>(section);
        builder.Services.PostConfigure<SeismoOptions>(o => ApplyShorthands(o, builder.Configuration));
        var options = new SeismoOptions();
        section.Bind(options);
        ApplyShorthands(options, builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<SeismoMetrics>();
        return options;
    }

    /// <summary>Adds an Orleans silo with Seismo's grains, its stores and its startup work; the mode picks the stores.</summary>
    public static IHostApplicationBuilder AddSeismoSilo(this IHostApplicationBuilder builder)
    {
        var options = builder.AddSeismoOptions();
        return options.Mode == HostingMode.Cluster ? builder.AddClusterSilo(options) : builder.AddEmbeddedSilo(options);
    }

    /// <summary>
    /// What the API process hosts: the silo itself (Embedded), or an Orleans client of the cluster's silos (Cluster).
    /// </summary>
    public static IHostApplicationBuilder AddSeismoOrleans(this IHostApplicationBuilder builder)
    {
        var options = builder.AddSeismoOptions();
        return options.Mode == HostingMode.Cluster ? builder.AddClusterClient(options) : builder.AddEmbeddedSilo(options);
    }

    private static IHostApplicationBuilder AddEmbeddedSilo(this IHostApplicationBuilder builder, SeismoOptions options)
    {
        Directory.CreateDirectory(options.DataDir);
        var connectionString = SqliteConnectionString(options.DataDir, options.StoreTimeoutSeconds);
        SchemaInstaller.ApplySqliteAsync(connectionString, CancellationToken.None).GetAwaiter().GetResult();

        var gate = new SqliteGate();
        builder.Services.AddSingleton(gate);
        var runStore = new SqliteRunStore(connectionString, gate);
        runStore.InitializeAsync().GetAwaiter().GetResult();
        builder.Services.AddSingleton<IRunStore>(runStore);
        builder.Services.AddSingleton(new ArchiveStore(options.ArchiveDir ?? Path.Combine(options.DataDir, "archives")));

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePortIfZero(options.SiloPort), FreePortIfZero(options.GatewayPort), serviceId: "seismo", clusterId: "seismo");
            silo.AddAdoNetGrainStorage(UngatedStorageName, (OptionsBuilder<AdoNetGrainStorageOptions> o) => o.Configure<Serializer>((storage, serializer) =>
            {
                storage.Invariant = SqliteInvariant;
                storage.ConnectionString = connectionString;
                // Orleans' own binary format: compact, fast, and version-tolerant through the [Id] attributes.
                storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageName, (sp, _) =>
                new GatedGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(UngatedStorageName), gate));
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = SqliteInvariant;
                o.ConnectionString = connectionString;
            });
            AddSeismoSiloParts(silo);
        });
        builder.AddSeismoWebhooks(new SqliteWebhookOutbox(connectionString, gate));
        builder.AddSeismoUploadsAndReports();
        return builder;
    }

    /// <summary>The silo-side services every mode hosts alongside the grains.</summary>
    internal static void AddSeismoSiloParts(ISiloBuilder silo)
    {
        silo.Services.AddSingleton<Seismo.Grains.Live.LiveNodeCache>();
        silo.Services.AddSingleton<Seismo.Grains.Settings.IRunRetention, Seismo.Grains.Settings.ProjectRunRetention>();
        silo.AddStartupTask<SeismoStartupTask>();
        silo.AddSeismoDashboard();
    }

    /// <summary>"Default Timeout" is also how long Microsoft.Data.Sqlite retries a busy database.</summary>
    public static string SqliteConnectionString(string dataDir, int timeoutSeconds = 30) =>
        $"Data Source={Path.Combine(Path.GetFullPath(dataDir), "seismo.db")};Pooling=True;Default Timeout={timeoutSeconds}";

    internal static int FreePortIfZero(int port)
    {
        if (port != 0) return port;
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void ApplyShorthands(SeismoOptions options, IConfiguration configuration)
    {
        if (configuration["SEISMO_DATA_DIR"] is { Length: > 0 } dataDir) options.DataDir = dataDir;
        if (configuration["SEISMO_MODE"] is { Length: > 0 } mode && Enum.TryParse<HostingMode>(mode, true, out var parsed)) options.Mode = parsed;
    }
}
