using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>An account (Euriqa's team, CircleCI's org): tier, plan limits, rate bucket, projects and keys.</summary>
public interface IAccountGrain : IGrainWithGuidKey
{
    Task<AccountInfo> CreateAsync(string name, Tier tier);
    Task<AccountInfo?> GetAsync();
    Task<AccountInfo?> PatchAsync(AccountPatch patch);
    Task AddProjectAsync(Guid projectId);

    /// <summary>A deleted project: it leaves the account and its project keys are deleted (rejected from then on).</summary>
    Task RemoveProjectAsync(Guid projectId);

    /// <summary>
    /// Takes one observation from the hourly bucket and the monthly plan, or says why not. Never over-admits: it is
    /// synchronous, so even interleaved it runs whole. It interleaves so that a write-behind flush waiting on a slow
    /// store never holds up admission.
    /// </summary>
    [AlwaysInterleave]
    Task<AdmitDecision> AdmitObservationAsync();

    /// <summary>Gives back what <see cref="AdmitObservationAsync"/> took when the observation could not be stored.</summary>
    [AlwaysInterleave]
    Task RefundObservationAsync();

    Task<ApiKeyInfo> AddKeyAsync(ApiKeyInfo key);
    Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(Guid? projectId);
    Task<ApiKeyInfo?> SetKeyActiveAsync(Guid keyId, bool isActive);

    /// <summary>Removes the key's record for good (the key stops working); false when the account has no such key.</summary>
    Task<bool> RemoveKeyAsync(Guid keyId);
}
