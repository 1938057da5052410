using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>One key, addressed by the hex SHA-256 of its plaintext: authentication is one call, no scan.</summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    Task SetAsync(ApiKeyInfo key);

    /// <summary>The key if it exists, is active and unexpired. Records the use in memory only.</summary>
    [AlwaysInterleave]
    Task<ApiKeyInfo?> AuthenticateAsync();

    Task<ApiKeyInfo?> GetAsync();

    /// <summary>Forgets the key: it no longer authenticates and its record is gone.</summary>
    Task ClearAsync();
}
