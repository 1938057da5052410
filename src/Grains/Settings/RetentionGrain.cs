using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seismo.Domain.Settings;
using Seismo.Grains.Hosting;
using Seismo.Grains.Storage;

namespace Seismo.Grains.Settings;

[GenerateSerializer]
public sealed class RetentionState
{
    [Id(0)] public RetentionSettings? Settings { get; set; }

    /// <summary>Newest first, at most <see cref="IRetentionGrain.KeptRuns"/>.</summary>
    [Id(1)] public List<CleanupRun> Runs { get; set; } = [];
}

/// <summary>
/// The cleanup worker. An Orleans reminder (durable in the reminder table, so it survives restarts) wakes it every
/// <see cref="RetentionSettings.IntervalHours"/>; a sweep removes reports, build results and upload sessions older
/// than the retention, then asks each project to drop its runs older than its own <c>dataRetentionDays</c>. A dry
/// run only counts. Every sweep is recorded; the 5 newest records are kept.
/// </summary>
public sealed class RetentionGrain(
    [PersistentState("retention", "Default")] IPersistentState<RetentionState> state,
    IOptions<SeismoOptions> options,
    IRunStore runStore,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<RetentionGrain> logger) : Grain, IRetentionGrain, IRemindable
{
    public const string ReminderName = "retention-sweep";

    private RetentionSettings Settings => state.State.Settings ?? RetentionSettings.Defaults;

    public Task<RetentionSettings> GetSettingsAsync() => Task.FromResult(Settings);

    public async Task SetSettingsAsync(RetentionSettings settings)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.RetentionDays, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.IntervalHours, 1);
        var intervalChanged = settings.IntervalHours != Settings.IntervalHours;
        state.State.Settings = settings;
        await state.WriteStateAsync();
        if (intervalChanged || await this.GetReminder(ReminderName) is null) await ScheduleAsync();
    }

    public async Task EnsureScheduledAsync()
    {
        if (await this.GetReminder(ReminderName) is null) await ScheduleAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) =>
        reminderName == ReminderName ? SweepAsync() : Task.CompletedTask;

    public async Task<CleanupRun> SweepAsync()
    {
        var settings = Settings;
        var started = clock.GetUtcNow();
        int deleted = 0, skipped = 0;
        string? error = null;
        try
        {
            var sweeper = new RetentionSweeper(options.Value.DataDir);
            // File IO off the grain scheduler.
            var files = await Task.Run(() => sweeper.Sweep(started, settings.RetentionDays, settings.DryRun));
            deleted += files.Deleted;
            skipped += files.Skipped;
            var (runsDeleted, runsSkipped) = await SweepRunsAsync(started, settings.DryRun);
            deleted += runsDeleted;
            skipped += runsSkipped;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Cleanup sweep failed");
            error = $"cleanup: {e.Message}";
        }
        var run = new CleanupRun(Guid.CreateVersion7(started).ToString(), started, clock.GetUtcNow(), error is null ? "success" : "failed",
            deleted, skipped, settings.DryRun, error);
        state.State.Runs.Insert(0, run);
        if (state.State.Runs.Count > IRetentionGrain.KeptRuns) state.State.Runs.RemoveRange(IRetentionGrain.KeptRuns, state.State.Runs.Count - IRetentionGrain.KeptRuns);
        await state.WriteStateAsync();
        logger.LogInformation("Cleanup sweep {Status}: {Deleted} deleted, {Skipped} skipped, dry run {DryRun}", run.Status, deleted, skipped, run.DryRun);
        return run;
    }

    public Task<CleanupRun[]> ListRunsAsync(int limit) => Task.FromResult(state.State.Runs.Take(limit).ToArray());

    // Each project's runs by its own dataRetentionDays; a project that fails is skipped, the others go on.
    private async Task<(int Deleted, int Skipped)> SweepRunsAsync(DateTimeOffset now, bool dryRun)
    {
        if (services.GetService<IRunRetention>() is not { } runs) return (0, 0);
        int deleted = 0, skipped = 0;
        foreach (var projectId in await runStore.ProjectsWithRunsAsync(CancellationToken.None))
        {
            try
            {
                if (await GrainFactory.GetGrain<IProjectGrain>(projectId).GetSettingsAsync() is not { } settings) continue;
                deleted += await runs.DeleteRunsBeforeAsync(projectId, RetentionPlanner.Cutoff(now, settings.DataRetentionDays), dryRun, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Cleanup: runs of project {Project} skipped", projectId);
                skipped++;
            }
        }
        return (deleted, skipped);
    }

    private Task ScheduleAsync()
    {
        var period = TimeSpan.FromHours(Settings.IntervalHours);
        return this.RegisterOrUpdateReminder(ReminderName, period, period);
    }
}
