using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Seismo.Tests.Storage;

/// <summary>An external Orleans client that finds the silo's gateway through the ADO.NET membership table.</summary>
public sealed class TestClient : IAsyncDisposable
{
    private readonly IHost host;

    private TestClient(IHost host) => this.host = host;

    public IGrainFactory Grains => host.Services.GetRequiredService<IClusterClient>();

    public static async Task<TestClient> ConnectAsync(StorageBackend db, string clusterId)
    {
        var host = new HostBuilder()
            .UseOrleansClient(client => client
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = db.ServiceId;
                })
                .UseAdoNetClustering(o =>
                {
                    o.Invariant = db.Invariant;
                    o.ConnectionString = db.ConnectionString;
                }))
            .Build();
        await host.StartAsync();
        return new TestClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        try { await host.StopAsync(); }
        finally { host.Dispose(); }
    }
}
