namespace Seismo.Grains;

/// <summary>
/// A member of a team (an account): a person who accepted an invitation, or the key that created the team. Euriqa's
/// roles owner, admin, member and viewer; <see cref="KeyId"/> is the key the member acts with.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TeamMember(
    [property: Id(0)] string Id,
    [property: Id(1)] Guid KeyId,
    [property: Id(2)] string Role,
    [property: Id(3)] string Name,
    [property: Id(4)] string? Email,
    [property: Id(5)] DateTimeOffset JoinedAt);

/// <summary>An invitation to a team; only the SHA-256 of its token is kept. Status pending, accepted or expired.</summary>
[GenerateSerializer, Immutable]
public sealed record TeamInvitation(
    [property: Id(0)] string Id,
    [property: Id(1)] string Email,
    [property: Id(2)] string Role,
    [property: Id(3)] string TokenHash,
    [property: Id(4)] string Status,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] DateTimeOffset CreatedAt);

public enum AcceptStatus : byte { Accepted, NotFound, Expired, AlreadyAccepted }

/// <summary>An accepted invitation: the new member and the key issued to it (shown once).</summary>
[GenerateSerializer, Immutable]
public sealed record AcceptOutcome(
    [property: Id(0)] AcceptStatus Status,
    [property: Id(1)] TeamMember? Member,
    [property: Id(2)] string? Key);

/// <summary>The members and invitations of one team, keyed by its account id.</summary>
public interface ITeamGrain : IGrainWithGuidKey
{
    Task AddMemberAsync(TeamMember member);

    Task<TeamMember[]> ListMembersAsync();

    Task<TeamInvitation> InviteAsync(string email, string role, string tokenHash, DateTimeOffset createdAt, DateTimeOffset expiresAt);

    /// <summary>Accepts the pending invitation with this token hash: issues the member an account key of the team with the role's permissions.</summary>
    Task<AcceptOutcome> AcceptAsync(string tokenHash);
}

/// <summary>The teams a key belongs to besides its own account (teams it created or joined), keyed by the key id.</summary>
public interface IKeyTeamsGrain : IGrainWithGuidKey
{
    Task AddAsync(Guid teamId);

    Task<Guid[]> ListAsync();
}
