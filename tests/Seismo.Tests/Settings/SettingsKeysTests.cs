using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Settings;

public sealed class SettingsKeysTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private async Task<(string Id, string Key)> CreateAsync(string name, string role)
    {
        var response = await _seismo.Admin().PostAsJsonAsync("/api/settings/apikeys", new { name, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal(role, body.GetProperty("role").GetString());
        return (body.GetProperty("id").GetString()!, body.GetProperty("key").GetString()!);
    }

    private async Task<JsonElement?> ListedAsync(string id) =>
        (await _seismo.Admin().GetFromJsonAsync<JsonElement>("/api/settings/apikeys")).EnumerateArray()
            .Cast<JsonElement?>().FirstOrDefault(k => k!.Value.GetProperty("id").GetString() == id);

    [Fact]
    public async Task Keys_are_shown_once_listed_masked_and_revoked_or_deleted()
    {
        var (revokedId, revokedKey) = await CreateAsync("nightly", "developer");
        var (deletedId, deletedKey) = await CreateAsync("old viewer", "viewer");
        var (adminId, adminKey) = await CreateAsync("second admin", "admin");
        foreach (var key in new[] { revokedKey, deletedKey, adminKey })
            Assert.Equal(HttpStatusCode.OK, (await _seismo.ClientWithKey(key).GetAsync("/api/projects")).StatusCode);

        var listText = await _seismo.Admin().GetStringAsync("/api/settings/apikeys");
        Assert.DoesNotContain(revokedKey, listText);
        Assert.DoesNotContain(Seismo.Domain.Security.ApiKeyText.HashHex(revokedKey), listText);
        var listed = (await ListedAsync(revokedId))!.Value;
        Assert.EndsWith(revokedKey[^4..], listed.GetProperty("maskedKey").GetString());
        Assert.True(listed.GetProperty("isActive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("projectId").ValueKind);

        // The new admin key may manage settings; the developer key may not.
        Assert.Equal(HttpStatusCode.OK, (await _seismo.ClientWithKey(adminKey).GetAsync("/api/settings/apikeys")).StatusCode);

        // Revoke (the default): the key stops working, its record stays.
        Assert.Equal(HttpStatusCode.NoContent, (await _seismo.Admin().DeleteAsync($"/api/settings/apikeys/{revokedId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _seismo.ClientWithKey(revokedKey).GetAsync("/api/projects")).StatusCode);
        var revoked = (await ListedAsync(revokedId))!.Value;
        Assert.False(revoked.GetProperty("isActive").GetBoolean());
        Assert.NotEqual(JsonValueKind.Null, revoked.GetProperty("revokedAt").ValueKind);

        // Delete: the key stops working and its record is gone.
        Assert.Equal(HttpStatusCode.NoContent, (await _seismo.Admin().DeleteAsync($"/api/settings/apikeys/{deletedId}?action=delete")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _seismo.ClientWithKey(deletedKey).GetAsync("/api/projects")).StatusCode);
        Assert.Null(await ListedAsync(deletedId));
        Assert.Equal(HttpStatusCode.NotFound, (await _seismo.Admin().DeleteAsync($"/api/settings/apikeys/{deletedId}?action=delete")).StatusCode);

        // An explicit revoke of the admin key works the same way as the default.
        Assert.Equal(HttpStatusCode.NoContent, (await _seismo.Admin().DeleteAsync($"/api/settings/apikeys/{adminId}?action=revoke")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _seismo.ClientWithKey(adminKey).GetAsync("/api/settings/apikeys")).StatusCode);
    }

    [Fact]
    public async Task Bad_key_requests_name_the_field()
    {
        var admin = _seismo.Admin();
        var badRole = await admin.PostAsJsonAsync("/api/settings/apikeys", new { name = "x", role = "owner" });
        Assert.Equal((HttpStatusCode.BadRequest, "role"), (badRole.StatusCode, (await badRole.JsonAsync()).ErrorField()));
        var noRole = await admin.PostAsJsonAsync("/api/settings/apikeys", new { name = "x" });
        Assert.Equal((HttpStatusCode.BadRequest, "role"), (noRole.StatusCode, (await noRole.JsonAsync()).ErrorField()));
        var noName = await admin.PostAsJsonAsync("/api/settings/apikeys", new { role = "viewer" });
        Assert.Equal((HttpStatusCode.BadRequest, "name"), (noName.StatusCode, (await noName.JsonAsync()).ErrorField()));
        var past = await admin.PostAsJsonAsync("/api/settings/apikeys", new { name = "x", role = "viewer", expiresAt = "2001-01-01T00:00:00Z" });
        Assert.Equal((HttpStatusCode.BadRequest, "expiresAt"), (past.StatusCode, (await past.JsonAsync()).ErrorField()));
        var (id, _) = await CreateAsync("target", "viewer");
        var badAction = await admin.DeleteAsync($"/api/settings/apikeys/{id}?action=purge");
        Assert.Equal((HttpStatusCode.BadRequest, "action"), (badAction.StatusCode, (await badAction.JsonAsync()).ErrorField()));
        Assert.True((await ListedAsync(id))!.Value.GetProperty("isActive").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/settings/apikeys/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/settings/apikeys/not-a-key")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/settings/apikeys")]
    [InlineData("POST", "/api/settings/apikeys")]
    [InlineData("DELETE", "/api/settings/apikeys/00000000-0000-0000-0000-000000000001")]
    [InlineData("GET", "/api/settings/disk")]
    [InlineData("GET", "/api/settings/disk/notification-threshold")]
    [InlineData("PUT", "/api/settings/disk/notification-threshold")]
    [InlineData("GET", "/api/settings/retention")]
    [InlineData("PUT", "/api/settings/retention")]
    [InlineData("GET", "/api/settings/retention/runs")]
    [InlineData("POST", "/api/settings/retention/runs")]
    [InlineData("GET", "/api/settings/allure")]
    [InlineData("PUT", "/api/settings/allure")]
    public async Task Settings_need_an_admin_key(string method, string path)
    {
        var (_, developer) = await CreateAsync($"dev {method} {path}", "developer");
        var (_, viewer) = await CreateAsync($"viewer {method} {path}", "viewer");
        var (_, projectKey) = await _seismo.CreateProjectAsync($"p {method} {path}");
        foreach (var key in new[] { developer, viewer, projectKey })
        {
            var response = await _seismo.ClientWithKey(key).SendAsync(Request(method, path));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("FORBIDDEN", (await response.JsonAsync()).ErrorCode());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await _seismo.CreateClient().SendAsync(Request(method, path))).StatusCode);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "POST" or "PUT" ? JsonContent.Create(new { }) : null,
    };
}
