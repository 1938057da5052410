namespace Seismo.Grains;

[GenerateSerializer, Immutable]
public sealed record BootstrapResult(
    [property: Id(0)] Guid AccountId,
    [property: Id(1)] Guid ProjectId,
    [property: Id(2)] string? NewAdminKey);

/// <summary>Creates the default account, project and admin key on the first start of an empty store.</summary>
public interface IBootstrapGrain : IGrainWithIntegerKey
{
    /// <param name="adminKey">The admin key to install, or null to generate one (returned once in the result).</param>
    Task<BootstrapResult> EnsureAsync(string? adminKey);

    /// <summary>True once the default tenant exists: a read-only probe for health checks.</summary>
    Task<bool> IsReadyAsync();
}
