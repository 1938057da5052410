using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Seismo.Grains.Hosting;

namespace Seismo.Grains.Tenancy;

[GenerateSerializer]
public sealed class AccountState
{
    [Id(0)] public AccountInfo? Info { get; set; }
    [Id(1)] public string Month { get; set; } = "";
    [Id(2)] public long ObservationsThisMonth { get; set; }
    [Id(3)] public List<ApiKeyInfo> Keys { get; set; } = [];
}

/// <summary>
/// An account's plan and rate bucket. The grain is single-threaded, so admission is exact under any
/// concurrency. The hourly bucket is a fixed window aligned to the clock hour (UTC), held in memory;
/// the monthly count is written behind.
/// </summary>
public sealed class AccountGrain(
    [PersistentState("account", "Default")] IPersistentState<AccountState> state,
    IOptions<SeismoOptions> options,
    TimeProvider clock) : Grain, IAccountGrain
{
    private FixedWindowRateLimiter? _bucket;
    private int _bucketLimit;
    private DateTimeOffset _windowStart;
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(options.Value.FlushInterval, options.Value.FlushInterval) { Interleave = false });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        _bucket?.Dispose();
    }

    public async Task<AccountInfo> CreateAsync(string name, Tier tier)
    {
        if (state.State.Info is { } existing) return existing;
        var now = clock.GetUtcNow();
        var limits = options.Value.LimitsFor(tier);
        state.State.Info = new AccountInfo(this.GetPrimaryKey(), name, tier, true, limits.MonthlyObservations, 0, [], now, now);
        await state.WriteStateAsync();
        return View();
    }

    public Task<AccountInfo?> GetAsync() => Task.FromResult(state.State.Info is null ? null : View());

    public async Task<AccountInfo?> PatchAsync(AccountPatch patch)
    {
        if (state.State.Info is not { } info) return null;
        var tierChanged = patch.Tier is { } t && t != info.Tier;
        state.State.Info = info with
        {
            Name = patch.Name ?? info.Name,
            Tier = patch.Tier ?? info.Tier,
            DataCollectionEnabled = patch.DataCollectionEnabled ?? info.DataCollectionEnabled,
            // A tier change brings that tier's plan limit unless the same patch sets one.
            MonthlyObservationLimit = patch.MonthlyObservationLimit
                ?? (tierChanged ? options.Value.LimitsFor(patch.Tier!.Value).MonthlyObservations : info.MonthlyObservationLimit),
            UpdatedAt = clock.GetUtcNow(),
        };
        if (tierChanged) ResetBucket();
        await state.WriteStateAsync();
        return View();
    }

    public async Task AddProjectAsync(Guid projectId)
    {
        if (state.State.Info is not { } info || info.ProjectIds.Contains(projectId)) return;
        state.State.Info = info with { ProjectIds = [.. info.ProjectIds, projectId], UpdatedAt = clock.GetUtcNow() };
        await state.WriteStateAsync();
    }

    public async Task RemoveProjectAsync(Guid projectId)
    {
        if (state.State.Info is not { } info) return;
        var now = clock.GetUtcNow();
        foreach (var key in state.State.Keys.Where(k => k.ProjectId == projectId).ToList())
        {
            await GrainFactory.GetGrain<IApiKeyGrain>(key.HashHex).SetAsync(key with { IsActive = false, UpdatedAt = now });
            state.State.Keys.Remove(key);
        }
        state.State.Info = info with { ProjectIds = info.ProjectIds.Where(p => p != projectId).ToArray(), UpdatedAt = now };
        await state.WriteStateAsync();
    }

    public Task<AdmitDecision> AdmitObservationAsync()
    {
        if (state.State.Info is not { } info) return Task.FromResult(new AdmitDecision(AdmitStatus.CollectionDisabled, 0, 0, 0));
        var now = clock.GetUtcNow();
        var bucket = Bucket(info, now);
        var reset = (int)Math.Ceiling((_windowStart.AddHours(1) - now).TotalSeconds);
        if (!info.DataCollectionEnabled) return Decision(AdmitStatus.CollectionDisabled);
        RollMonth(now);
        if (info.MonthlyObservationLimit > 0 && state.State.ObservationsThisMonth >= info.MonthlyObservationLimit)
            return Decision(AdmitStatus.QuotaExceeded);
        using var lease = bucket.AttemptAcquire(1);
        if (!lease.IsAcquired) return Decision(AdmitStatus.RateLimited);
        state.State.ObservationsThisMonth++;
        _dirty = true;
        return Decision(AdmitStatus.Admitted);

        Task<AdmitDecision> Decision(AdmitStatus status) => Task.FromResult(new AdmitDecision(
            status, _bucketLimit, (int)(bucket.GetStatistics()?.CurrentAvailablePermits ?? 0), Math.Max(reset, 1)));
    }

    public Task RefundObservationAsync()
    {
        // The bucket keeps the request (it was made); only the plan gets its observation back.
        if (state.State.ObservationsThisMonth > 0) state.State.ObservationsThisMonth--;
        _dirty = true;
        return Task.CompletedTask;
    }

    public async Task<ApiKeyInfo> AddKeyAsync(ApiKeyInfo key)
    {
        state.State.Keys.Add(key);
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IApiKeyGrain>(key.HashHex).SetAsync(key);
        return key;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(Guid? projectId)
    {
        var keys = state.State.Keys.Where(k => projectId is null || k.ProjectId == projectId).ToList();
        // lastUsedAt lives in each key's grain (recorded in memory, written behind).
        var live = await Task.WhenAll(keys.Select(k => GrainFactory.GetGrain<IApiKeyGrain>(k.HashHex).GetAsync()));
        return keys.Select((k, i) => k with { LastUsedAt = live[i]?.LastUsedAt ?? k.LastUsedAt }).ToList();
    }

    public async Task<ApiKeyInfo?> SetKeyActiveAsync(Guid keyId, bool isActive)
    {
        var index = state.State.Keys.FindIndex(k => k.Id == keyId);
        if (index < 0) return null;
        var updated = state.State.Keys[index] with { IsActive = isActive, UpdatedAt = clock.GetUtcNow() };
        state.State.Keys[index] = updated;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IApiKeyGrain>(updated.HashHex).SetAsync(updated);
        return updated;
    }

    public async Task<bool> RemoveKeyAsync(Guid keyId)
    {
        var index = state.State.Keys.FindIndex(k => k.Id == keyId);
        if (index < 0) return false;
        var removed = state.State.Keys[index];
        state.State.Keys.RemoveAt(index);
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IApiKeyGrain>(removed.HashHex).ClearAsync();
        return true;
    }

    private AccountInfo View() => state.State.Info! with { ObservationsThisMonth = state.State.ObservationsThisMonth };

    private FixedWindowRateLimiter Bucket(AccountInfo info, DateTimeOffset now)
    {
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        if (_bucket is null || hour != _windowStart)
        {
            _bucket?.Dispose();
            _bucketLimit = options.Value.LimitsFor(info.Tier).HourlyObservations;
            // Replenished by hand at the top of the hour, so the window follows the clock, not activation time.
            _bucket = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(_bucketLimit, 1),
                Window = TimeSpan.FromHours(1),
                AutoReplenishment = false,
                QueueLimit = 0,
            });
            _windowStart = hour;
        }
        return _bucket;
    }

    private void ResetBucket()
    {
        _bucket?.Dispose();
        _bucket = null;
    }

    private void RollMonth(DateTimeOffset now)
    {
        var month = now.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        if (state.State.Month == month) return;
        state.State.Month = month;
        state.State.ObservationsThisMonth = 0;
        _dirty = true;
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (!_dirty || state.State.Info is null) return;
        _dirty = false;
        try { await state.WriteStateAsync(ct); }
        catch { _dirty = true; throw; }
    }
}
