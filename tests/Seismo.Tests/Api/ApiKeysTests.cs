using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Api;

public sealed class ApiKeysTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    [Fact]
    public async Task Keys_are_shown_once_listed_masked_and_can_be_deactivated()
    {
        var admin = _seismo.Admin();
        var project = await _seismo.DefaultProjectAsync();
        var created = await admin.PostAsJsonAsync("/api/api-keys", new { projectId = project, name = "GitLab CI", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var plaintext = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("viewer", body.GetProperty("role").GetString());

        var viewer = _seismo.CreateClient();
        viewer.DefaultRequestHeaders.Add("X-API-Key", plaintext);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync($"/api/runs?projectId={project}")).StatusCode);

        var listed = (await admin.GetFromJsonAsync<JsonElement>($"/api/api-keys?projectId={project}")).GetProperty("data")
            .EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.DoesNotContain(plaintext, listed.GetRawText());
        Assert.EndsWith(plaintext[^4..], listed.GetProperty("maskedKey").GetString());
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("lastUsedAt").ValueKind);

        var patched = await admin.PatchAsJsonAsync($"/api/api-keys/{id}", new { isActive = false });
        Assert.False((await patched.JsonAsync()).GetProperty("isActive").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await viewer.GetAsync($"/api/runs?projectId={project}")).StatusCode);
    }

    [Fact]
    public async Task Bad_key_requests_name_the_field()
    {
        var admin = _seismo.Admin();
        var project = await _seismo.DefaultProjectAsync();
        var missingName = await admin.PostAsJsonAsync("/api/api-keys", new { projectId = project });
        Assert.Equal(HttpStatusCode.BadRequest, missingName.StatusCode);
        Assert.Equal("name", (await missingName.JsonAsync()).ErrorField());
        var badRole = await admin.PostAsJsonAsync("/api/api-keys", new { projectId = project, name = "x", role = "owner" });
        Assert.Equal("role", (await badRole.JsonAsync()).ErrorField());
        var past = await admin.PostAsJsonAsync("/api/api-keys", new { projectId = project, name = "x", expiresAt = "2001-01-01T00:00:00Z" });
        Assert.Equal("expiresAt", (await past.JsonAsync()).ErrorField());
        var notJson = await admin.PostAsync("/api/api-keys", new StringContent("{nope", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("body", (await notJson.JsonAsync()).ErrorField());
    }

    [Fact]
    public async Task An_expired_key_is_refused()
    {
        var admin = _seismo.Admin();
        var created = await (await admin.PostAsJsonAsync("/api/api-keys", new
        {
            projectId = await _seismo.DefaultProjectAsync(), name = "short-lived", expiresAt = DateTimeOffset.UtcNow.AddSeconds(2),
        })).JsonAsync();
        var client = _seismo.ClientWithKey(created.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/projects")).StatusCode);
        await Task.Delay(2500);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/projects")).StatusCode);
    }
}
