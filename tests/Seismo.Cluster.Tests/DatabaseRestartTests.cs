using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;
using Xunit.Abstractions;

namespace Seismo.Cluster.Tests;

/// <summary>PostgreSQL stops and starts again under continuous ingest: the cluster recovers by itself.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DatabaseRestartTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [PostgresFact]
    public async Task The_cluster_answers_503_while_PostgreSQL_is_down_and_recovers_without_manual_steps()
    {
        await using var cluster = await SeismoCluster.StartAsync(postgres.Server, environment: DurableReplay.ReadBackEnvironment);
        var client = cluster.Client();
        var projects = new List<Guid> { await SiloFailoverTests.DefaultProjectAsync(client), await SiloFailoverTests.CreateProjectAsync(client, "db-restart") };

        var load = new IngestLoad(() => cluster.Client(TimeSpan.FromSeconds(45), retryReads: false), projects);
        await load.WaitForAcknowledgedAsync(20, TimeSpan.FromSeconds(60));
        await postgres.Server.StopAsync();
        try
        {
            var (unavailable, violations, acknowledged) = (load.Unavailable, load.Violations.Count, load.Acknowledged);
            for (var deadline = DateTime.UtcNow.AddSeconds(20); load.Unavailable == unavailable && load.Violations.Count == violations && DateTime.UtcNow < deadline;)
                await Task.Delay(100);
            Assert.True(load.Unavailable > unavailable,
                $"no 503 while the database was down; {load.Acknowledged - acknowledged} acknowledged meanwhile; {string.Join("; ", load.Violations.Take(3))}\n{cluster.Logs()}");
        }
        finally
        {
            await postgres.Server.StartAgainAsync();
            // This process's pooled connections died with the server.
            Npgsql.NpgsqlConnection.ClearAllPools();
        }

        var before = load.Acknowledged;
        await load.WaitForAcknowledgedAsync(before + 30, TimeSpan.FromSeconds(90));
        await load.StopAsync();
        output.WriteLine($"{load.Acknowledged} acknowledged, {load.Unavailable} answered 503 + Retry-After");
        Assert.True(load.Violations.Count == 0,
            $"answers other than 200 or 503+Retry-After: {string.Join("; ", load.Violations.Take(5))}\n{cluster.Logs()}");

        // Both silos are still members and the health checks are green again.
        await cluster.WaitForActiveSilosAsync(2, TimeSpan.FromSeconds(30));
        using var anonymous = new HttpClient { BaseAddress = new Uri(cluster.ApiUrl) };
        var health = await anonymous.GetAsync("/health");
        var body = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(health.IsSuccessStatusCode, body.ToString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());

        foreach (var project in projects)
        {
            var expected = await DurableReplay.ReadAsync(client, project);
            var lost = load.AcknowledgedRuns.Where(a => a.Project == project && !expected.RunIds.Contains(a.Id)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} acknowledged observations of {project} are missing");
            await DurableReplay.AssertLiveStateMatchesAsync(client, project, expected, TimeSpan.FromSeconds(60));
        }
    }
}
