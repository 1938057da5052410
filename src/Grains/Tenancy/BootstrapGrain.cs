using Seismo.Domain.Security;

namespace Seismo.Grains.Tenancy;

[GenerateSerializer]
public sealed class BootstrapState
{
    [Id(0)] public Guid AccountId { get; set; }
    [Id(1)] public Guid ProjectId { get; set; }
}

/// <summary>First start on an empty store: account "default" (enterprise), project "default", an admin key.</summary>
public sealed class BootstrapGrain(
    [PersistentState("bootstrap", "Default")] IPersistentState<BootstrapState> state,
    TimeProvider clock) : Grain, IBootstrapGrain
{
    public async Task<BootstrapResult> EnsureAsync(string? adminKey)
    {
        string? generated = null;
        if (state.State.AccountId == Guid.Empty)
        {
            var accountId = Guid.NewGuid();
            var projectId = Guid.NewGuid();
            var account = GrainFactory.GetGrain<IAccountGrain>(accountId);
            await account.CreateAsync("default", Tier.Enterprise);
            await GrainFactory.GetGrain<IProjectGrain>(projectId).CreateAsync(accountId, "default", "default");
            await account.AddProjectAsync(projectId);
            generated = adminKey is null ? ApiKeyText.Generate() : null;
            await AddAdminKeyAsync(account, accountId, adminKey ?? generated!);
            state.State.AccountId = accountId;
            state.State.ProjectId = projectId;
            await state.WriteStateAsync();
        }
        else if (adminKey is not null)
        {
            // SEISMO_ADMIN_KEY on a later start: make sure that key works too.
            var existing = await GrainFactory.GetGrain<IApiKeyGrain>(ApiKeyText.HashHex(adminKey)).GetAsync();
            if (existing is null) await AddAdminKeyAsync(GrainFactory.GetGrain<IAccountGrain>(state.State.AccountId), state.State.AccountId, adminKey);
        }
        return new BootstrapResult(state.State.AccountId, state.State.ProjectId, generated);
    }

    public Task<bool> IsReadyAsync() => Task.FromResult(state.State.AccountId != Guid.Empty);

    private async Task AddAdminKeyAsync(IAccountGrain account, Guid accountId, string plaintext)
    {
        var now = clock.GetUtcNow();
        await account.AddKeyAsync(new ApiKeyInfo(Guid.NewGuid(), accountId, null, "admin", Role.Admin,
            ApiKeyText.HashHex(plaintext), ApiKeyText.Mask(plaintext), true, null, null, now, now));
    }
}
