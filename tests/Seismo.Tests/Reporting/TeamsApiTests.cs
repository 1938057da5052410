using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Reporting;

/// <summary>Teams and members: the creator owns its team, invitations carry their link, accepting issues a key with the role's permissions.</summary>
public sealed class TeamsApiTests : IAsyncLifetime
{
    private readonly SeismoFactory _seismo = new(settings: new Dictionary<string, string> { ["Seismo:RateLimits:ProjectsTeams"] = "0" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _seismo.DisposeAsync();

    [Fact]
    public async Task A_created_team_is_owned_by_its_creator_and_grows_by_invitation()
    {
        var admin = _seismo.Admin();
        var teams = await admin.GetFromJsonAsync<JsonElement>("/api/teams");
        Assert.Equal("default", teams.GetProperty("data")[0].GetProperty("name").GetString());

        var created = await admin.PostAsJsonAsync("/api/teams", new { name = "QA Automation Team" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var team = await created.JsonAsync();
        var teamId = team.GetProperty("id").GetString()!;
        Assert.Equal("QA Automation Team", team.GetProperty("name").GetString());
        Assert.True(team.TryGetProperty("createdAt", out _));
        var mine = (await admin.GetFromJsonAsync<JsonElement>("/api/teams")).GetProperty("data").EnumerateArray().Single(t => t.GetProperty("id").GetString() == teamId);
        Assert.Equal("owner", mine.GetProperty("role").GetString());

        var members = (await admin.GetFromJsonAsync<JsonElement>($"/api/team-members?teamId={teamId}")).GetProperty("data");
        Assert.Equal("owner", members.EnumerateArray().Single().GetProperty("role").GetString());
        foreach (var name in new[] { "id", "userId", "teamId", "role", "name", "email", "avatarUrl", "joinedAt" })
            Assert.True(members[0].TryGetProperty(name, out _), name);

        var invite = await admin.PostAsJsonAsync("/api/team-members", new { teamId, email = "newmember@example.com", role = "member" });
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        var invitation = await invite.JsonAsync();
        Assert.StartsWith("invite_", invitation.GetProperty("id").GetString());
        Assert.Equal("pending", invitation.GetProperty("status").GetString());
        Assert.Equal("member", invitation.GetProperty("role").GetString());
        var created_ = invitation.GetProperty("createdAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(7), invitation.GetProperty("expiresAt").GetDateTimeOffset() - created_);

        var link = new Uri(invitation.GetProperty("inviteUrl").GetString()!);
        var anonymous = _seismo.CreateClient();
        var accepted = await anonymous.PostAsync(link.PathAndQuery, null);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var member = await accepted.JsonAsync();
        Assert.Equal("member", member.GetProperty("role").GetString());
        Assert.Equal("newmember@example.com", member.GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.PostAsync(link.PathAndQuery, null)).StatusCode);

        // The member's key works in the team with upload rights, not manage.
        var memberHttp = _seismo.ClientWithKey(member.GetProperty("key").GetString()!);
        Assert.Equal(teamId, (await memberHttp.GetFromJsonAsync<JsonElement>("/api/teams")).GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await memberHttp.PostAsJsonAsync("/api/team-members", new { teamId, email = "x@example.com", role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await memberHttp.PostAsJsonAsync("/api/projects", new { name = "nope" })).StatusCode);
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>($"/api/team-members?teamId={teamId}")).GetProperty("data").GetArrayLength());

        // The owner's key of the new team manages it.
        var owner = _seismo.ClientWithKey(team.GetProperty("apiKey").GetString()!);
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsJsonAsync("/api/projects", new { name = "Mobile App E2E", teamId })).StatusCode);
    }

    [Fact]
    public async Task Invitations_are_validated_checked_against_the_team_and_expire()
    {
        var admin = _seismo.Admin();
        var teamId = (await (await admin.PostAsJsonAsync("/api/teams", new { name = "Checked" })).JsonAsync()).GetProperty("id").GetString()!;
        var badRole = await admin.PostAsJsonAsync("/api/team-members", new { teamId, email = "a@example.com", role = "owner" });
        Assert.Equal("role", (await badRole.JsonAsync()).ErrorField());
        var badEmail = await admin.PostAsJsonAsync("/api/team-members", new { teamId, email = "not-an-email", role = "viewer" });
        Assert.Equal("email", (await badEmail.JsonAsync()).ErrorField());
        Assert.Equal("teamId", (await (await admin.GetAsync("/api/team-members")).JsonAsync()).ErrorField());

        var (_, projectKey) = await _seismo.CreateProjectAsync("teams-outsider");
        var outsider = _seismo.ClientWithKey(projectKey);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/team-members?teamId={teamId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsJsonAsync("/api/team-members", new { teamId, email = "a@example.com", role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _seismo.CreateClient().PostAsync($"/api/team-members/accept?token={teamId.Replace("-", "")}.nope", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _seismo.CreateClient().PostAsync("/api/team-members/accept", null)).StatusCode);
    }

    [Fact]
    public async Task An_expired_invitation_cannot_be_accepted()
    {
        await using var seismo = new SeismoFactory(settings: new Dictionary<string, string> { ["Seismo:Teams:InvitationLifetime"] = "00:00:00" });
        var admin = seismo.Admin();
        var teamId = (await (await admin.PostAsJsonAsync("/api/teams", new { name = "Expiring" })).JsonAsync()).GetProperty("id").GetString()!;
        var invitation = await (await admin.PostAsJsonAsync("/api/team-members", new { teamId, email = "late@example.com", role = "viewer" })).JsonAsync();
        var link = new Uri(invitation.GetProperty("inviteUrl").GetString()!);
        var response = await seismo.CreateClient().PostAsync(link.PathAndQuery, null);
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("expired", (await response.JsonAsync()).ErrorMessage());
    }
}
