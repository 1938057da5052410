using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Seismo.Api.Live;
using Seismo.Grains;
using Seismo.Tests.Support;

namespace Seismo.Tests.Live;

/// <summary>
/// Delivery to several API nodes: the co-hosted one and a second node that is a separate Orleans client, each with
/// one observer, both publishing the project's events in sequence order, each once.
/// </summary>
public sealed class LiveNodesTests
{
    private const int Burst = 300;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_separate_client_node_and_the_co_hosted_node_both_receive_every_event_in_order()
    {
        var gateway = FreePort();
        await using var seismo = new SeismoFactory(settings: new Dictionary<string, string> { ["Seismo:GatewayPort"] = gateway.ToString() });
        var (projectId, key) = await seismo.CreateProjectAsync("nodes");

        var clientNode = Host.CreateApplicationBuilder();
        clientNode.UseOrleansClient(c => c.UseLocalhostClustering(gateway, serviceId: "seismo", clusterId: "seismo"));
        clientNode.Services.AddSingleton<Seismo.Grains.Telemetry.SeismoMetrics>();
        clientNode.Services.AddSingleton(TimeProvider.System);
        clientNode.Services.AddSingleton<LiveBroker>();
        clientNode.Services.AddHostedService<LiveNode>();
        using var remote = clientNode.Build();
        await remote.StartAsync();
        var remoteEvents = remote.Services.GetRequiredService<LiveBroker>().Subscribe(e => e.ProjectId == projectId);
        var localEvents = seismo.Services.GetRequiredService<LiveBroker>().Subscribe(e => e.ProjectId == projectId);

        // Both nodes are registered once the registry lists two; publishers see it within a second.
        var registry = seismo.Services.GetRequiredService<IGrainFactory>().GetGrain<ILiveNodeRegistryGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await registry.GetAsync()).Nodes.Length < 2 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(2, (await registry.GetAsync()).Nodes.Length);
        await Task.Delay(1200);

        var agent = seismo.ClientWithKey(key);
        var runs = new List<string>();
        for (var i = 0; i < 5; i++) runs.Add(await LiveFlow.RunAsync(agent, i, wobblyFails: i == 2));
        // Then a burst of one-event batches, each its own one-way call to every node: calls a node runs concurrently
        // must still reach its subscribers in sequence order.
        var project = seismo.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(projectId);
        await Task.WhenAll(Enumerable.Range(0, Burst).Select(i => project.PublishAsync(EventTypes.UploadProgress, [$"{{\"n\":{i}}}"])));
        var total = runs.Count + Burst;

        foreach (var node in new[] { remoteEvents, localEvents })
        {
            var received = new List<LiveEvent>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (received.Count < total) received.Add(await node.Reader.ReadAsync(timeout.Token));
            Assert.Equal(Enumerable.Range(1, total).Select(s => (long)s), received.Select(e => e.Sequence));
            Assert.Equal("run.failed", received[2].Type);
            Assert.All(received.Take(runs.Count), e => Assert.Contains(e.Data.Split('"')[3], runs));
            Assert.All(received.Skip(runs.Count), e => Assert.Equal(EventTypes.UploadProgress, e.Type));
        }
        await remote.StopAsync();
    }
}
