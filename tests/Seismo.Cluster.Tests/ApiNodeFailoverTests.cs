using Seismo.Tests.Live;
using Seismo.Tests.Support;

namespace Seismo.Cluster.Tests;

/// <summary>An API node goes away and another takes its place: live clients resume where they stopped.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ApiNodeFailoverTests(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task An_sse_client_resumes_on_a_new_api_node_with_Last_Event_ID_without_missing_events()
    {
        await using var cluster = await SeismoCluster.StartAsync(postgres.Server, silos: 1);
        var client = cluster.Client();
        var project = await SiloFailoverTests.DefaultProjectAsync(client);
        var url = $"/api/events/stream?projectId={project}";

        var seen = new List<SseFrame>();
        await using (var sse = await SseClient.OpenAsync(client, url))
        {
            // Subscribed first: a stream without Last-Event-ID carries only what happens after it opens.
            var first = await PostAsync(client, project, 3, 0);
            while (!first.All(id => seen.Any(f => f.Data.Contains(id, StringComparison.Ordinal)))) seen.Add(await sse.NextAsync());
        }
        var lastId = seen.Max(f => f.Sequence);

        // Events the client never read happen, then its API node stops.
        var missed = await PostAsync(client, project, 3, 10);
        await cluster.Api!.StopAsync();
        await cluster.StartApiAsync();
        client = cluster.Client();

        await using var resumed = await SseClient.OpenAsync(client, url, lastId.ToString());
        Assert.Equal(200, (int)resumed.Response.StatusCode);
        var after = await PostAsync(client, project, 3, 20);
        var frames = new List<SseFrame>();
        while (!missed.Concat(after).All(id => frames.Any(f => f.Data.Contains(id, StringComparison.Ordinal)))) frames.Add(await resumed.NextAsync());

        // Every event after the last one read arrives once, in order, with no gap.
        var sequences = frames.Where(f => f.Id is not null).Select(f => f.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => lastId + 1 + i), sequences);

        // The replacement node's operator surfaces: it accepted the three "after" runs.
        await ClusterObservability.AssertAsync(cluster, collectsOnApiNode: after.Count);
    }

    private static async Task<List<string>> PostAsync(HttpClient client, Guid project, int count, int seed)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await client.PostArchiveAsync(await IngestLoad.ArchiveAsync(seed + i), project);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            ids.Add((await response.JsonAsync()).GetProperty("observation_id").GetString()!);
        }
        return ids;
    }
}
