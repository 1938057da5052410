using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Observability;

namespace Seismo.Cluster.Tests;

/// <summary>What an operator of a cluster reads: the API node's /health, /metrics and /dashboard, and each silo's /metrics.</summary>
public static class ClusterObservability
{
    public static async Task AssertAsync(SeismoCluster cluster, int collectsOnApiNode)
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri(cluster.ApiUrl), Timeout = TimeSpan.FromSeconds(30) };
        var silos = cluster.Silos.Count(s => s is not null);

        // Health: membership as the API node sees it, and PostgreSQL.
        using var health = await anonymous.GetAsync("/health");
        var report = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(health.StatusCode == HttpStatusCode.OK, report.ToString());
        Assert.Equal($"{silos} active silo(s)", report.GetProperty("checks").GetProperty("membership").GetProperty("description").GetString());
        Assert.Equal("PostgreSQL reachable", report.GetProperty("checks").GetProperty("database").GetProperty("description").GetString());

        // The API node counts what it accepted itself.
        var api = await PrometheusText.ScrapeAsync(anonymous);
        Assert.Equal(collectsOnApiNode, api.Value("seismo_ingest_runs_total", "entry_point=\"collect\""));
        Assert.True(api.Has("seismo_fanout_pending_runs"), api.Text);

        // Grains live on the silos: their activations and the webhook outbox are on the silo's own endpoint.
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; i < cluster.Silos.Length; i++)
        {
            if (cluster.Silos[i] is null) continue;
            var silo = await PrometheusText.ScrapeAsync(plain, cluster.SiloMetricsUrl(i));
            Assert.True(silo.Has("orleans_grains"), silo.Text);
            Assert.True(silo.Has("seismo_webhooks_outbox_pending"), silo.Text);
        }

        // The Orleans dashboard, served by the API node from the silos' data, for admin keys only.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/dashboard/DashboardCounters")).StatusCode);
        using var admin = cluster.Client(TimeSpan.FromSeconds(30));
        JsonElement counters = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            counters = await admin.GetFromJsonAsync<JsonElement>("/dashboard/DashboardCounters");
            if (counters.GetProperty("totalActiveHostCount").GetInt32() == silos) break;
        }
        Assert.Equal(silos, counters.GetProperty("totalActiveHostCount").GetInt32());
    }
}
