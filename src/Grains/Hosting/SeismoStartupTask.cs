using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Hosting;

/// <summary>
/// Runs when the silo becomes active: creates the default tenant on an empty store, schedules the cleanup sweep, and
/// activates every project with stored runs so runs that were not yet durable in test grains are replayed.
/// </summary>
public sealed class SeismoStartupTask(
    IGrainFactory grains,
    IRunStore runs,
    IConfiguration configuration,
    IOptions<SeismoOptions> options,
    ILogger<SeismoStartupTask> logger) : IStartupTask
{
    public async Task Execute(CancellationToken cancellationToken)
    {
        var adminKey = configuration["SEISMO_ADMIN_KEY"] is { Length: > 0 } k ? k : null;
        var result = await grains.GetGrain<IBootstrapGrain>(0).EnsureAsync(adminKey);
        if (result.NewAdminKey is { } generated) SaveGeneratedKey(generated);

        await grains.GetGrain<IRetentionGrain>(0).EnsureScheduledAsync();
        foreach (var projectId in await runs.ProjectsWithRunsAsync(cancellationToken))
            await grains.GetGrain<IProjectGrain>(projectId).EnsureRecoveredAsync();
    }

    private void SaveGeneratedKey(string key)
    {
        var path = Path.GetFullPath(Path.Combine(options.Value.DataDir, "admin.key"));
        File.WriteAllText(path, key + Environment.NewLine);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // Printed once, on the first start; afterwards it is only in admin.key.
        Console.WriteLine($"Seismo admin key (shown once, also saved to {path}): {key}");
        logger.LogInformation("Created the default account, project and admin key; the key is in {Path}", path);
    }
}
