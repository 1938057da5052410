namespace Seismo.Grains;

/// <summary>What a key may do. Each role includes the permissions of the roles below it.</summary>
public enum Role : byte { Viewer = 0, Developer = 1, Admin = 2 }

/// <summary>The three permissions endpoints ask for: view ⊂ upload ⊂ manage.</summary>
public enum Permission : byte { View = 0, Upload = 1, Manage = 2 }

public enum Tier : byte { Free, Starter, Team, Business, Enterprise }

[GenerateSerializer, Immutable]
public sealed record AccountInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] Tier Tier,
    [property: Id(3)] bool DataCollectionEnabled,
    [property: Id(4)] long MonthlyObservationLimit,
    [property: Id(5)] long ObservationsThisMonth,
    [property: Id(6)] Guid[] ProjectIds,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset UpdatedAt);

[GenerateSerializer, Immutable]
public sealed record AccountPatch(
    [property: Id(0)] Tier? Tier,
    [property: Id(1)] bool? DataCollectionEnabled,
    [property: Id(2)] long? MonthlyObservationLimit,
    [property: Id(3)] string? Name);

[GenerateSerializer, Immutable]
public sealed record ProjectInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid AccountId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Slug,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset UpdatedAt);

/// <summary>
/// A key as stored: only its SHA-256 is kept. An account key (ProjectId null) reaches every project of its
/// account; a project key reaches one project and is the agent token of the collect API.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid AccountId,
    [property: Id(2)] Guid? ProjectId,
    [property: Id(3)] string Name,
    [property: Id(4)] Role Role,
    [property: Id(5)] string HashHex,
    [property: Id(6)] string MaskedKey,
    [property: Id(7)] bool IsActive,
    [property: Id(8)] DateTimeOffset? ExpiresAt,
    [property: Id(9)] DateTimeOffset? LastUsedAt,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset UpdatedAt);

/// <summary>The outcome of asking the account to admit one more observation.</summary>
public enum AdmitStatus : byte { Admitted, RateLimited, CollectionDisabled, QuotaExceeded }

[GenerateSerializer, Immutable]
public sealed record AdmitDecision(
    [property: Id(0)] AdmitStatus Status,
    [property: Id(1)] int Limit,
    [property: Id(2)] int Remaining,
    [property: Id(3)] int ResetSeconds);
