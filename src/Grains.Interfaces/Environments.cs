using Orleans.Concurrency;

namespace Seismo.Grains;

/// <summary>An environment (production, staging…) of an account: a named group of projects. Its id is a slug.</summary>
[GenerateSerializer, Immutable]
public sealed record EnvironmentInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string? Description,
    [property: Id(3)] Guid[] ProjectIds,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset UpdatedAt);

public enum EnvironmentChange : byte { Done, NotFound, AlreadyExists, ProjectInOtherEnvironment, ProjectNotMember }

[GenerateSerializer, Immutable]
public sealed record EnvironmentResult(
    [property: Id(0)] EnvironmentChange Change,
    [property: Id(1)] EnvironmentInfo? Environment,
    [property: Id(2)] string? OtherEnvironmentId = null);

/// <summary>
/// The environments of one account (keyed by the account id) and which project belongs to which: a project is in at
/// most one. Every change of membership or name goes through this grain, so whatever keeps aggregates per
/// environment has one place to hear of it.
/// </summary>
public interface IEnvironmentsGrain : IGrainWithGuidKey
{
    [AlwaysInterleave]
    Task<EnvironmentInfo[]> ListAsync();

    [AlwaysInterleave]
    Task<EnvironmentInfo?> GetAsync(string envId);

    [AlwaysInterleave]
    Task<string?> EnvironmentOfAsync(Guid projectId);

    Task<EnvironmentResult> CreateAsync(string envId, string name, string? description);
    Task<EnvironmentResult> UpdateAsync(string envId, string? name, string? description);

    /// <summary>Removes the environment; its projects stay, without an environment.</summary>
    Task<EnvironmentResult> DeleteAsync(string envId);

    Task<EnvironmentResult> AddProjectAsync(string envId, Guid projectId);
    Task<EnvironmentResult> RemoveProjectAsync(string envId, Guid projectId);
}
