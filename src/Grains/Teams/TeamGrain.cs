using Seismo.Domain.Identity;
using Seismo.Domain.Security;

namespace Seismo.Grains.Teams;

[GenerateSerializer]
public sealed class TeamState
{
    [Id(0)] public List<TeamMember> Members { get; set; } = [];
    [Id(1)] public List<TeamInvitation> Invitations { get; set; } = [];
}

/// <summary>
/// A team's members and invitations. Accepting an invitation issues an account key of the team whose role carries
/// the member's permissions (<see cref="RoleOf"/>); no mail is sent, the inviter hands on the link.
/// </summary>
public sealed class TeamGrain(
    [PersistentState("team", "Default")] IPersistentState<TeamState> state,
    TimeProvider clock) : Grain, ITeamGrain
{
    /// <summary>Euriqa's roles onto Seismo's: owner and admin manage, member uploads, viewer views.</summary>
    public static Role RoleOf(string teamRole) => teamRole switch
    {
        "owner" or "admin" => Role.Admin,
        "member" => Role.Developer,
        _ => Role.Viewer,
    };

    public async Task AddMemberAsync(TeamMember member)
    {
        if (state.State.Members.Any(m => m.KeyId == member.KeyId)) return;
        state.State.Members.Add(member);
        await state.WriteStateAsync();
    }

    public Task<TeamMember[]> ListMembersAsync() => Task.FromResult(state.State.Members.ToArray());

    public async Task<TeamInvitation> InviteAsync(string email, string role, string tokenHash, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        var invitation = new TeamInvitation("invite_" + PublicIds.Base64Url(Guid.NewGuid().ToByteArray()), email, role, tokenHash, "pending",
            expiresAt, createdAt);
        state.State.Invitations.Add(invitation);
        await state.WriteStateAsync();
        return invitation;
    }

    public async Task<AcceptOutcome> AcceptAsync(string tokenHash)
    {
        var index = state.State.Invitations.FindIndex(i => i.TokenHash == tokenHash);
        if (index < 0) return new AcceptOutcome(AcceptStatus.NotFound, null, null);
        var invitation = state.State.Invitations[index];
        if (invitation.Status == "accepted") return new AcceptOutcome(AcceptStatus.AlreadyAccepted, null, null);
        var now = clock.GetUtcNow();
        if (now >= invitation.ExpiresAt)
        {
            state.State.Invitations[index] = invitation with { Status = "expired" };
            await state.WriteStateAsync();
            return new AcceptOutcome(AcceptStatus.Expired, null, null);
        }

        var teamId = this.GetPrimaryKey();
        var plaintext = ApiKeyText.Generate();
        var key = new ApiKeyInfo(Guid.NewGuid(), teamId, null, invitation.Email, RoleOf(invitation.Role), ApiKeyText.HashHex(plaintext),
            ApiKeyText.Mask(plaintext), true, null, null, now, now);
        await GrainFactory.GetGrain<IAccountGrain>(teamId).AddKeyAsync(key);
        var member = new TeamMember("member_" + PublicIds.Base64Url(key.Id.ToByteArray()), key.Id, invitation.Role, invitation.Email, invitation.Email, now);
        state.State.Invitations[index] = invitation with { Status = "accepted" };
        state.State.Members.Add(member);
        await state.WriteStateAsync();
        return new AcceptOutcome(AcceptStatus.Accepted, member, plaintext);
    }
}
