using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;
using Seismo.Tests.Support;

namespace Seismo.Cluster.Tests;

/// <summary>A silo is killed with SIGKILL in the middle of continuous ingest, then started again.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloFailoverTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [PostgresFact]
    public async Task Killing_a_silo_mid_ingest_loses_no_acknowledged_observation_and_it_rejoins_after_a_restart()
    {
        await using var cluster = await SeismoCluster.StartAsync(postgres.Server, environment: DurableReplay.ReadBackEnvironment);
        var client = cluster.Client();
        // Several projects, so project and test grains are spread over both silos.
        var projects = new List<Guid> { await DefaultProjectAsync(client) };
        for (var i = 1; i < 4; i++) projects.Add(await CreateProjectAsync(client, $"failover-{i}"));

        var load = new IngestLoad(() => cluster.Client(TimeSpan.FromSeconds(45), retryReads: false), projects);
        await load.WaitForAcknowledgedAsync(40, TimeSpan.FromSeconds(90));
        await cluster.Silos[0]!.KillAsync();
        var killedAt = DateTime.UtcNow;
        var before = load.Acknowledged;

        // The survivor takes over every grain: ingest continues into all projects.
        await load.WaitForAcknowledgedAsync(before + 60, TimeSpan.FromSeconds(90));
        await load.StopAsync();
        Assert.True(load.Violations.Count == 0,
            $"answers other than 200 or 503+Retry-After: {string.Join("; ", load.Violations.Take(5))}\n{cluster.Logs()}");
        Assert.True(load.Slowest < TimeSpan.FromSeconds(20), $"a request took {load.Slowest}");
        output.WriteLine($"{load.Acknowledged} acknowledged, {load.Unavailable} answered 503 + Retry-After, slowest answer {load.Slowest.TotalSeconds:F1} s");

        // Membership declares the killed silo dead within seconds; until it has, the cluster view may answer 503.
        await cluster.WaitForActiveSilosAsync(1, TimeSpan.FromSeconds(60));
        var silos = await cluster.SilosAsync();
        Assert.Equal("Dead", silos.Single(s => s.Key.StartsWith(cluster.AddressPrefix(0), StringComparison.Ordinal)).Value.Status);
        Assert.Equal(1, silos.Values.Count(s => s.Status == "Active"));
        Assert.True(DateTime.UtcNow - killedAt < TimeSpan.FromSeconds(60));

        // Every acknowledged observation is stored, and all derived state equals a replay of the durable runs.
        foreach (var project in projects)
        {
            var expected = await DurableReplay.ReadAsync(client, project);
            var lost = load.AcknowledgedRuns.Where(a => a.Project == project && !expected.RunIds.Contains(a.Id)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} acknowledged observations of {project} are missing");
            Assert.Equal(IngestLoad.TestsPerRun, expected.Tests.Count);
            await DurableReplay.AssertLiveStateMatchesAsync(client, project, expected, TimeSpan.FromSeconds(60));
        }

        // The killed silo comes back (same ports, new generation), joins, and takes load: new grains are placed on it.
        cluster.StartSilo(0);
        await cluster.WaitForActiveSilosAsync(2, TimeSpan.FromSeconds(60));
        await AssertRejoinedSiloTakesLoadAsync(cluster, client);
    }

    /// <summary>
    /// New grains are placed by the silo that receives the first call, from the load statistics silos publish every
    /// second; a silo that has just become active is not a candidate until its statistics reached that silo. So first
    /// ingest into new projects (new project and test grains) until the rejoined silo hosts some of them, within a
    /// bounded time; then it must host a real share of the grains of further new projects.
    /// </summary>
    private async Task AssertRejoinedSiloTakesLoadAsync(SeismoCluster cluster, HttpClient client)
    {
        var silos = await cluster.SilosAsync();
        var rejoined = silos.Single(s => s.Key.StartsWith(cluster.AddressPrefix(0), StringComparison.Ordinal) && s.Value.Status == "Active").Key;
        var survivor = silos.Single(s => s.Key.StartsWith(cluster.AddressPrefix(1), StringComparison.Ordinal) && s.Value.Status == "Active").Key;
        var round = 0;
        var active = System.Diagnostics.Stopwatch.StartNew();
        async Task<(int OnRejoined, int OnSurvivor)> IngestIntoNewProjectsAsync(int projects)
        {
            var before = await cluster.SilosAsync();
            var fresh = new List<Guid>();
            for (var i = 0; i < projects; i++) fresh.Add(await CreateProjectAsync(client, $"after-rejoin-{round++}"));
            var load = new IngestLoad(() => cluster.Client(retryReads: false), fresh, writers: projects);
            await load.WaitForAcknowledgedAsync(2 * projects, TimeSpan.FromSeconds(60));
            await load.StopAsync();
            Assert.Empty(load.Violations);
            var after = await cluster.SilosAsync();
            var added = (after[rejoined].Activations!.Value - before[rejoined].Activations!.Value,
                after[survivor].Activations!.Value - before[survivor].Activations!.Value);
            output.WriteLine($"{active.Elapsed.TotalSeconds:F1} s after it became active, {projects} new projects: rejoined +{added.Item1} (cpu {after[rejoined].CpuUsage}%), survivor +{added.Item2} (cpu {after[survivor].CpuUsage}%)");
            return added;
        }

        // The silos that place new grains learn of the rejoined one within a second or so, so one activation there proves
        // little: a round once put 1 grain on it and the next round all 96 on the survivor. Wait for a real share.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!TakesRealShare(await IngestIntoNewProjectsAsync(1)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the rejoined silo took no real share of new grains within 60 s of becoming active");
        }
        // Then it keeps taking load: three projects bring about a hundred grains.
        var (onRejoined, onSurvivor) = await IngestIntoNewProjectsAsync(3);
        Assert.True(TakesRealShare((onRejoined, onSurvivor)) && onRejoined * 2 >= IngestLoad.TestsPerRun,
            $"the rejoined silo hosts {onRejoined} of {onRejoined + onSurvivor} new activations");
    }

    /// <summary>
    /// The silo with far fewer activations takes a real share of new ones. Placement also weighs CPU, which other work
    /// on the machine moves: 27 and 19 of 96 were seen under busy test runs. A sixth still tells a silo that takes
    /// load from one that takes none (0 or 1 of them before the fix).
    /// </summary>
    private static bool TakesRealShare((int OnRejoined, int OnSurvivor) added) =>
        added.OnRejoined > 0 && added.OnRejoined * 6 >= added.OnRejoined + added.OnSurvivor;

    internal static async Task<Guid> DefaultProjectAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/projects")).GetProperty("data")[0].GetProperty("id").GetGuid();

    internal static async Task<Guid> CreateProjectAsync(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync("/api/projects", new { name });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }
}
