using Seismo.Cluster.Tests;
using Seismo.Tests.Support;

namespace Seismo.Bench;

/// <summary>
/// The ingest load against the cluster topology: a real PostgreSQL, N silo processes and one API process (Orleans
/// client), started as the fault tests start them. One silo, then two, each on a fresh database, in the same run.
/// </summary>
internal static class ClusterBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchArgs(args);
        var archiveCount = options.Int("archives", 600);
        var testsPerArchive = options.Int("tests", 1000);
        var concurrency = options.Int("concurrency", 8);
        var projects = options.Int("projects", 4);
        if (PostgresServer.UnavailableReason is { } reason)
        {
            Console.Error.WriteLine(reason);
            return 2;
        }

        Console.WriteLine($"Cluster ingest benchmark: {archiveCount} archives x {testsPerArchive} tests into {projects} projects, concurrency {concurrency}, {Environment.ProcessorCount} cores");
        var archives = await IngestBenchmark.BuildArchivesAsync(16, testsPerArchive);
        await using var postgres = await PostgresServer.StartAsync();
        var runs = new List<(int Silos, IngestBenchmark.LoadResult Load, string Placement)>();
        foreach (var silos in new[] { 1, 2 })
        {
            // Product settings rather than the fault tests' short write-behind period.
            await using var cluster = await SeismoCluster.StartAsync(postgres, silos, new Dictionary<string, string> { ["Seismo__FlushInterval"] = "00:00:15" });
            var load = await IngestBenchmark.PostAllAsync(cluster.ApiUrl, SeismoCluster.AdminKey,
                () => [cluster.Api!.ProcessorTime, .. cluster.Silos.Select(s => s!.ProcessorTime)], archives, archiveCount, concurrency, projects);
            var placement = string.Join(" / ", (await cluster.SilosAsync()).Values.Where(s => s.Status == "Active").Select(s => s.Activations));
            Console.WriteLine($"{silos} silo(s): {load.Archives} archives in {load.Seconds:F1} s, {load.Errors} refused; activations per silo {placement}; load average {LoadAverage()}");
            runs.Add((silos, load, placement));
        }

        var (one, two) = (runs[0].Load, runs[1].Load);
        double Rate(IngestBenchmark.LoadResult l) => l.Archives * testsPerArchive / l.Seconds;
        double Latency(IngestBenchmark.LoadResult l, double p) => Percentiles.Of(l.Latencies.Order().ToList(), p);
        string Cpu(IngestBenchmark.LoadResult l) =>
            $"{l.ProcessCpu[0].TotalSeconds:F1} s / {string.Join(" + ", l.ProcessCpu.Skip(1).Select(c => $"{c.TotalSeconds:F1} s"))} / {l.GeneratorCpu.TotalSeconds:F1} s of {Environment.ProcessorCount * l.Seconds:F1} core-s";
        Console.WriteLine();
        Console.WriteLine("| figure | 1 silo | 2 silos | 2 / 1 |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| archives ingested (all processed) | {one.Archives} in {one.Seconds:F1} s | {two.Archives} in {two.Seconds:F1} s | |");
        Console.WriteLine($"| results/s | {Rate(one):N0} | {Rate(two):N0} | {Rate(two) / Rate(one):F2} |");
        foreach (var p in new[] { 50, 99 })
            Console.WriteLine($"| /collect latency p{p} | {Latency(one, p):F1} ms | {Latency(two, p):F1} ms | {Latency(two, p) / Latency(one, p):F2} |");
        Console.WriteLine($"| CPU: API / silos / load generator | {Cpu(one)} | {Cpu(two)} | |");
        Console.WriteLine($"| Seismo CPU (API + silos) per 1,000 results | {CpuPerThousand(one, testsPerArchive):F1} ms | {CpuPerThousand(two, testsPerArchive):F1} ms | {CpuPerThousand(two, testsPerArchive) / CpuPerThousand(one, testsPerArchive):F2} |");
        Console.WriteLine($"| activations per silo at the end | {runs[0].Placement} | {runs[1].Placement} | |");
        return one.Errors + two.Errors == 0 ? 0 : 1;
    }

    // The machine's load average: on a shared host it says how much of the 2 cores the cluster could have had.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double CpuPerThousand(IngestBenchmark.LoadResult load, int testsPerArchive) =>
        load.ServerCpu.TotalMilliseconds / (load.Archives * testsPerArchive / 1000.0);
}
