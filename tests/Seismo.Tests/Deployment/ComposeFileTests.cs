using System.Diagnostics;

namespace Seismo.Tests.Deployment;

/// <summary>
/// docker-compose.yml is valid for Debian's docker-compose and describes the cluster topology: PostgreSQL with a
/// health check and a volume, named silo services that each advertise their own address, API nodes, and images
/// built by the multi-stage Dockerfile. Skipped where docker-compose is not installed (.ci/run installs it).
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string Root = FindRoot();

    [ComposeFact]
    public async Task Compose_file_is_valid_and_describes_the_cluster()
    {
        var (exit, config, error) = await RunAsync("config");
        Assert.True(exit == 0, $"docker-compose config failed: {error}");
        var services = Services(config);

        Assert.Contains("postgres", services.Keys);
        var postgres = services["postgres"];
        Assert.Contains(postgres, l => l.TrimStart().StartsWith("healthcheck:", StringComparison.Ordinal));
        Assert.Contains(postgres, l => l.Contains("/var/lib/postgresql/data", StringComparison.Ordinal));
        Assert.Contains(postgres, l => l.Contains("docker-entrypoint-initdb.d/01-orleans.sql", StringComparison.Ordinal));

        var silos = services.Where(s => s.Key.StartsWith("silo", StringComparison.Ordinal)).ToList();
        Assert.True(silos.Count >= 2, "at least two named silo services");
        foreach (var (name, lines) in silos)
        {
            // Each silo advertises itself, not a shared or loopback address.
            Assert.Contains(lines, l => l.Trim() == $"Seismo__Cluster__AdvertisedAddress: {name}");
            Assert.Contains(lines, l => l.Trim() == "Seismo__Mode: Cluster");
            Assert.Contains(lines, l => l.Trim().StartsWith("ConnectionStrings__Seismo: Host=postgres", StringComparison.Ordinal));
        }
        var apis = services.Where(s => s.Key.StartsWith("api", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(apis);
        foreach (var (_, lines) in apis) Assert.Contains(lines, l => l.Trim() == "Seismo__Mode: Cluster");
        // Every node sees the same archive volume.
        foreach (var (_, lines) in silos.Concat(apis)) Assert.Contains(lines, l => l.Contains("/var/lib/seismo/archives", StringComparison.Ordinal));
    }

    [Fact]
    public void The_dockerfile_has_a_stage_per_node_kind_and_the_init_scripts_exist()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "Dockerfile"));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", lines);
        var compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        // Each node kind the compose file builds is a stage that takes its published output from the build stage.
        foreach (var target in new[] { "silo", "api" })
        {
            Assert.Contains($"target: {target}", compose);
            var stage = lines.SkipWhile(l => !(l.StartsWith("FROM ", StringComparison.Ordinal) && l.EndsWith($" AS {target}", StringComparison.Ordinal))).Skip(1)
                .TakeWhile(l => !l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
            Assert.Contains($"COPY --from=build /app/{target} .", stage);
            Assert.Contains(stage, l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal));
        }
        foreach (var script in new[] { "src/Grains/Hosting/Schema/postgresql.sql", "src/Grains/Hosting/Schema/seismo-postgresql.sql" })
        {
            Assert.Contains("./" + script, compose);
            Assert.True(File.Exists(Path.Combine(Root, script)), script);
        }
    }

    /// <summary>Service name → its lines in the normalised config output.</summary>
    private static Dictionary<string, List<string>> Services(string config)
    {
        var services = new Dictionary<string, List<string>>();
        List<string>? current = null;
        var inServices = false;
        foreach (var line in config.Split('\n'))
        {
            if (!line.StartsWith(' ')) { inServices = line.TrimEnd() == "services:"; current = null; continue; }
            if (!inServices) continue;
            if (line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(':'))
                services[line.Trim().TrimEnd(':')] = current = [];
            else current?.Add(line);
        }
        return services;
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("docker-compose", ["-f", Path.Combine(Root, "docker-compose.yml"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        // Validation must not depend on the caller's environment.
        foreach (var key in new[] { "SEISMO_ADMIN_KEY", "SEISMO_DB_PASSWORD", "SEISMO_CLUSTER_ID", "SEISMO_SERVICE_ID" }) info.Environment.Remove(key);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Seismo.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}

/// <summary>A fact skipped, with the reason, where docker-compose is not installed.</summary>
public sealed class ComposeFactAttribute : FactAttribute
{
    public ComposeFactAttribute()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "docker-compose")));
        if (!found) Skip = "docker-compose is not installed (apt-get install docker-compose)";
    }
}
