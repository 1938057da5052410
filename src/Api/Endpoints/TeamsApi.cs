using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Identity;
using Seismo.Domain.Security;
using Seismo.Grains;
using Seismo.Grains.Teams;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Teams (a team is an account) and their members. Creating a team makes the calling key its owner and issues an
/// admin key of the new team (Seismo keys belong to one account). Members join through invitations that expire after
/// <c>Seismo:Teams:InvitationLifetime</c> (7 days); no mail is sent: the answer carries the link, and accepting it
/// issues the member a key of the team with the role's permissions (owner/admin manage, member uploads, viewer views).
/// </summary>
public static class TeamsApi
{
    public static IEndpointRouteBuilder MapTeamsApi(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/api/teams").WithTags("Teams").AddEndpointFilter(RateLimits.Filter(RateLimitGroup.ProjectsTeams));
        teams.MapGet("/", ListTeamsAsync).RequireAuthorization(Policies.View).WithSummary("Teams the key belongs to");
        teams.MapPost("/", CreateTeamAsync).RequireAuthorization(Policies.Manage).WithSummary("Create a team: {name}; the key becomes its owner");
        var members = app.MapGroup("/api/team-members").WithTags("Teams");
        members.MapGet("/", ListMembersAsync).RequireAuthorization(Policies.View).WithSummary("Members of a team: teamId")
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.ProjectsTeams));
        members.MapPost("/", InviteAsync).RequireAuthorization(Policies.View).WithSummary("Invite a member: {teamId, email, role}; returns the invitation link")
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.ProjectsTeams));
        members.MapPost("/accept", AcceptAsync).AllowAnonymous().WithSummary("Accept an invitation (token): issues the member's key, shown once");
        return app;
    }

    private static async Task<Ok<DataList<TeamDto>>> ListTeamsAsync(HttpContext http, IGrainFactory grains)
    {
        var caller = SeismoCaller.From(http.User);
        var ids = new List<Guid> { caller.AccountId };
        ids.AddRange((await grains.GetGrain<IKeyTeamsGrain>(caller.KeyId).ListAsync()).Where(t => t != caller.AccountId));
        var list = new List<TeamDto>();
        foreach (var id in ids)
        {
            if (await grains.GetGrain<IAccountGrain>(id).GetAsync() is not { } team) continue;
            list.Add(new TeamDto(team.Id, team.Name, await RoleInAsync(grains, caller, id) ?? "viewer", team.CreatedAt));
        }
        return TypedResults.Ok(new DataList<TeamDto>(list));
    }

    private static async Task<Results<Created<CreatedTeamDto>, JsonHttpResult<ErrorEnvelope>>> CreateTeamAsync(HttpContext http, IGrainFactory grains, TimeProvider clock)
    {
        var caller = SeismoCaller.From(http.User);
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var name = body!.String("name", required: true, maxLength: 200)?.Trim();
        if (body.Error is not null) return ApiError.Validation(body.Error);
        if (!caller.IsAccountKey) return ApiError.Forbidden("A project key cannot create teams; use an account key");

        var tier = (await grains.GetGrain<IAccountGrain>(caller.AccountId).GetAsync())?.Tier ?? Tier.Free;
        var teamId = Guid.NewGuid();
        var team = await grains.GetGrain<IAccountGrain>(teamId).CreateAsync(name!, tier);
        var now = clock.GetUtcNow();
        var plaintext = ApiKeyText.Generate();
        var ownerKey = new ApiKeyInfo(Guid.NewGuid(), teamId, null, $"{name} owner", Role.Admin, ApiKeyText.HashHex(plaintext), ApiKeyText.Mask(plaintext),
            true, null, null, now, now);
        await grains.GetGrain<IAccountGrain>(teamId).AddKeyAsync(ownerKey);
        await grains.GetGrain<ITeamGrain>(teamId).AddMemberAsync(new TeamMember("member_" + PublicIds.Base64Url(caller.KeyId.ToByteArray()), caller.KeyId,
            "owner", "owner", null, now));
        await grains.GetGrain<IKeyTeamsGrain>(caller.KeyId).AddAsync(teamId);
        await grains.GetGrain<IKeyTeamsGrain>(ownerKey.Id).AddAsync(teamId);
        return TypedResults.Created($"/api/teams/{teamId}", new CreatedTeamDto(team.Id, team.Name, team.CreatedAt, plaintext));
    }

    private static async Task<Results<Ok<DataList<TeamMemberDto>>, JsonHttpResult<ErrorEnvelope>>> ListMembersAsync(HttpContext http, IGrainFactory grains, string? teamId)
    {
        var caller = SeismoCaller.From(http.User);
        if (teamId is null) return ApiError.Validation("teamId", "required", "Query parameter 'teamId' is required");
        if (!Guid.TryParse(teamId, out var team) || await RoleInAsync(grains, caller, team) is null) return ApiError.NotFound("Team", teamId);
        var members = await grains.GetGrain<ITeamGrain>(team).ListMembersAsync();
        var list = members.Select(m => new TeamMemberDto(m.Id, m.KeyId.ToString(), team, m.Role, m.Name, m.Email, null, m.JoinedAt)).ToList();
        // A team made before teams had members (the first-start account) lists its account keys, by their role.
        if (members.Length == 0)
        {
            foreach (var key in await grains.GetGrain<IAccountGrain>(team).ListKeysAsync(null))
            {
                if (key.ProjectId is not null || !key.IsActive) continue;
                list.Add(new TeamMemberDto("member_" + PublicIds.Base64Url(key.Id.ToByteArray()), key.Id.ToString(), team, TeamRoleOf(key.Role), key.Name,
                    null, null, key.CreatedAt));
            }
        }
        return TypedResults.Ok(new DataList<TeamMemberDto>(list));
    }

    private static async Task<Results<Created<InvitationDto>, JsonHttpResult<ErrorEnvelope>>> InviteAsync(
        HttpContext http, IGrainFactory grains, TimeProvider clock, IConfiguration configuration)
    {
        var caller = SeismoCaller.From(http.User);
        var (body, error) = await JsonFields.ReadAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var teamId = body!.Guid("teamId", required: true);
        var email = body.String("email", required: true, maxLength: 254)?.Trim();
        var role = body.String("role", required: true, maxLength: 16);
        if (body.Error is not null) return ApiError.Validation(body.Error);
        if (email!.IndexOf('@') is <= 0 || email.IndexOf('@') == email.Length - 1 || email.Any(char.IsWhiteSpace))
            return ApiError.Validation("email", "invalid_format", "Field 'email' must be an email address");
        if (role is not ("admin" or "member" or "viewer")) return ApiError.Validation("role", "invalid_value", "Field 'role' must be one of: admin, member, viewer");
        var callerRole = await RoleInAsync(grains, caller, teamId!.Value);
        if (callerRole is null) return ApiError.NotFound("Team", teamId.Value.ToString());
        if (callerRole is not ("owner" or "admin")) return ApiError.Forbidden($"A team {callerRole} cannot invite members; owners and admins can");

        var token = $"{teamId.Value:N}.{PublicIds.Base64Url(RandomNumberGenerator.GetBytes(24))}";
        var lifetime = configuration.GetValue<TimeSpan?>("Seismo:Teams:InvitationLifetime") ?? TimeSpan.FromDays(7);
        var now = clock.GetUtcNow();
        var invitation = await grains.GetGrain<ITeamGrain>(teamId.Value).InviteAsync(email, role, ApiKeyText.HashHex(token), now, now + lifetime);
        var link = $"{http.Request.Scheme}://{http.Request.Host}/api/team-members/accept?token={Uri.EscapeDataString(token)}";
        return TypedResults.Created(link, new InvitationDto(invitation.Id, teamId.Value, invitation.Email, invitation.Role, invitation.Status,
            invitation.ExpiresAt, invitation.CreatedAt, link));
    }

    private static async Task<Results<Created<AcceptedMemberDto>, JsonHttpResult<ErrorEnvelope>>> AcceptAsync(IGrainFactory grains, string? token)
    {
        var dot = token?.IndexOf('.') ?? -1;
        if (token is null || dot < 0 || !Guid.TryParseExact(token[..dot], "N", out var teamId))
            return ApiError.Validation("token", token is null ? "required" : "invalid_format", "Query parameter 'token' must be an invitation token");
        var outcome = await grains.GetGrain<ITeamGrain>(teamId).AcceptAsync(ApiKeyText.HashHex(token));
        return outcome.Status switch
        {
            AcceptStatus.Accepted => Accepted(teamId, outcome),
            AcceptStatus.Expired => ApiError.Of(StatusCodes.Status410Gone, "GONE", "The invitation has expired; ask for a new one"),
            AcceptStatus.AlreadyAccepted => ApiError.Of(StatusCodes.Status410Gone, "GONE", "The invitation was accepted already"),
            _ => ApiError.NotFound("Invitation", "token"),
        };
    }

    private static Created<AcceptedMemberDto> Accepted(Guid teamId, AcceptOutcome outcome)
    {
        var m = outcome.Member!;
        return TypedResults.Created($"/api/team-members?teamId={teamId}",
            new AcceptedMemberDto(m.Id, m.KeyId.ToString(), teamId, m.Role, m.Name, m.Email, null, m.JoinedAt, outcome.Key!));
    }

    /// <summary>The caller's role in a team: by its key's role in its own account, by membership elsewhere; null when not in it.</summary>
    private static async Task<string?> RoleInAsync(IGrainFactory grains, SeismoCaller caller, Guid teamId)
    {
        var members = await grains.GetGrain<ITeamGrain>(teamId).ListMembersAsync();
        if (members.FirstOrDefault(m => m.KeyId == caller.KeyId) is { } member) return member.Role;
        if (teamId != caller.AccountId) return null;
        return caller.IsAccountKey ? TeamRoleOf(caller.Role) : "viewer";
    }

    private static string TeamRoleOf(Role role) => role switch { Role.Admin => "admin", Role.Developer => "member", _ => "viewer" };
}
