using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Seismo.Tests.Storage;

/// <summary>A real single-silo host whose clustering, grain storage and reminders all use one ADO.NET database.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    /// <summary>A second provider on the same tables that deletes the row on clear (DeleteStorageKey).</summary>
    public const string DeletingStorage = "Deleting";

    private readonly IHost host;

    private TestSilo(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<TestSilo> StartAsync(StorageBackend db, string clusterId)
    {
        var host = new HostBuilder()
            .UseOrleans(silo => silo
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = db.ServiceId;
                })
                .ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort())
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = db.Invariant;
                    o.ConnectionString = db.ConnectionString;
                })
                .AddAdoNetGrainStorage("Default", o =>
                {
                    o.Invariant = db.Invariant;
                    o.ConnectionString = db.ConnectionString;
                })
                .AddAdoNetGrainStorage(DeletingStorage, o =>
                {
                    o.Invariant = db.Invariant;
                    o.ConnectionString = db.ConnectionString;
                    o.DeleteStateOnClear = true;
                })
                .UseAdoNetReminderService(o =>
                {
                    o.Invariant = db.Invariant;
                    o.ConnectionString = db.ConnectionString;
                }))
            .Build();
        await host.StartAsync();
        return new TestSilo(host);
    }

    public async Task StopAsync() => await host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try { await host.StopAsync(); }
        finally { host.Dispose(); }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
