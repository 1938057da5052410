using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Api;

public sealed class ProjectSettingsTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Settings_start_at_the_defaults_and_patch_changes_only_the_fields_given()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("settings");
        var settings = await _seismo.ClientWithKey(key).GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/settings");
        Assert.Equal(projectId, settings.GetProperty("projectId").GetGuid());
        Assert.Equal(90, settings.GetProperty("dataRetentionDays").GetInt32());
        Assert.Equal(0.3, settings.GetProperty("flakinessThreshold").GetDouble());
        Assert.True(settings.GetProperty("autoQuarantineEnabled").GetBoolean());
        var created = settings.GetProperty("updatedAt").GetDateTimeOffset();

        var patched = await _seismo.Admin().PatchAsync($"/api/projects/{projectId}/settings", Json("""{"flakinessThreshold":0.5}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var body = await patched.JsonAsync();
        Assert.Equal(0.5, body.GetProperty("flakinessThreshold").GetDouble());
        Assert.Equal(90, body.GetProperty("dataRetentionDays").GetInt32());
        Assert.True(body.GetProperty("autoQuarantineEnabled").GetBoolean());
        Assert.True(body.GetProperty("updatedAt").GetDateTimeOffset() > created);

        await _seismo.Admin().PatchAsync($"/api/projects/{projectId}/settings",
            Json($$"""{"dataRetentionDays":180,"autoQuarantineEnabled":false,"projectId":"{{projectId}}"}"""));
        var again = await _seismo.Admin().GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/settings");
        Assert.Equal(180, again.GetProperty("dataRetentionDays").GetInt32());
        Assert.Equal(0.5, again.GetProperty("flakinessThreshold").GetDouble());
        Assert.False(again.GetProperty("autoQuarantineEnabled").GetBoolean());
    }

    [Theory]
    [InlineData("""{"dataRetentionDays":0}""", "dataRetentionDays")]
    [InlineData("""{"dataRetentionDays":1.5}""", "dataRetentionDays")]
    [InlineData("""{"dataRetentionDays":"90"}""", "dataRetentionDays")]
    [InlineData("""{"flakinessThreshold":1.5}""", "flakinessThreshold")]
    [InlineData("""{"flakinessThreshold":0}""", "flakinessThreshold")]
    [InlineData("""{"flakinessThreshold":-0.1}""", "flakinessThreshold")]
    [InlineData("""{"autoQuarantineEnabled":"yes"}""", "autoQuarantineEnabled")]
    [InlineData("""{"retention":30}""", "retention")]
    [InlineData("""not json""", "body")]
    public async Task Bad_values_are_400_naming_the_field_and_change_nothing(string json, string field)
    {
        var (projectId, _) = await _seismo.CreateProjectAsync("settings-bad");
        var response = await _seismo.Admin().PatchAsync($"/api/projects/{projectId}/settings", Json(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.JsonAsync();
        Assert.Equal("VALIDATION_ERROR", error.ErrorCode());
        Assert.Equal(field, error.ErrorField());
        var settings = await _seismo.Admin().GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/settings");
        Assert.Equal(90, settings.GetProperty("dataRetentionDays").GetInt32());
        Assert.Equal(0.3, settings.GetProperty("flakinessThreshold").GetDouble());
    }

    [Fact]
    public async Task Reading_needs_view_changing_needs_manage_and_other_tenants_see_nothing()
    {
        var (projectId, developerKey) = await _seismo.CreateProjectAsync("settings-perms");
        var (_, otherKey) = await _seismo.CreateProjectAsync("settings-perms-other");
        var developer = _seismo.ClientWithKey(developerKey);
        Assert.Equal(HttpStatusCode.OK, (await developer.GetAsync($"/api/projects/{projectId}/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await developer.PatchAsync($"/api/projects/{projectId}/settings", Json("""{"dataRetentionDays":7}"""))).StatusCode);
        var other = _seismo.ClientWithKey(otherKey);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/projects/{projectId}/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _seismo.Admin().GetAsync($"/api/projects/{Guid.NewGuid()}/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _seismo.Admin().GetAsync("/api/projects/nope/settings")).StatusCode);
    }
}
