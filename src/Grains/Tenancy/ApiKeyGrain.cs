using Microsoft.Extensions.Options;
using Seismo.Grains.Hosting;

namespace Seismo.Grains.Tenancy;

[GenerateSerializer]
public sealed class ApiKeyState
{
    [Id(0)] public ApiKeyInfo? Key { get; set; }
}

/// <summary>A key by its hash. Use is recorded in memory and written at most once per flush interval.</summary>
public sealed class ApiKeyGrain(
    [PersistentState("apikey", "Default")] IPersistentState<ApiKeyState> state,
    IOptions<SeismoOptions> options,
    TimeProvider clock) : Grain, IApiKeyGrain
{
    private DateTimeOffset? _lastUsed;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var period = options.Value.FlushInterval * 12;
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(period, period));
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => FlushAsync(cancellationToken);

    public async Task SetAsync(ApiKeyInfo key)
    {
        state.State.Key = key with { LastUsedAt = _lastUsed ?? state.State.Key?.LastUsedAt ?? key.LastUsedAt };
        await state.WriteStateAsync();
    }

    public Task<ApiKeyInfo?> AuthenticateAsync()
    {
        var key = state.State.Key;
        var now = clock.GetUtcNow();
        if (key is null || !key.IsActive || key.ExpiresAt is { } expires && expires <= now) return Task.FromResult<ApiKeyInfo?>(null);
        _lastUsed = now;
        return Task.FromResult<ApiKeyInfo?>(key with { LastUsedAt = now });
    }

    public Task<ApiKeyInfo?> GetAsync() =>
        Task.FromResult(state.State.Key is { } key ? key with { LastUsedAt = _lastUsed ?? key.LastUsedAt } : null);

    public async Task ClearAsync()
    {
        _lastUsed = null;
        state.State.Key = null;
        await state.ClearStateAsync();
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        if (_lastUsed is not { } used || state.State.Key is not { } key || key.LastUsedAt == used) return;
        state.State.Key = key with { LastUsedAt = used };
        await state.WriteStateAsync(ct);
    }
}
