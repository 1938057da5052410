using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Uploads;

/// <summary>Environments and their projects over HTTP.</summary>
public sealed class EnvironmentsApiTests(UploadFixture fixture) : IClassFixture<UploadFixture>
{
    [Fact]
    public async Task Environments_are_created_renamed_listed_and_deleted_and_a_project_is_in_at_most_one()
    {
        var admin = fixture.Seismo.Admin();
        using (var created = await admin.PostAsJsonAsync("/api/environments", new { name = "Staging EU" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("staging-eu", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        }
        using (var duplicate = await admin.PostAsJsonAsync("/api/environments", new { name = "Other", id = "staging-eu" }))
            Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        using (var badId = await admin.PostAsJsonAsync("/api/environments", new { name = "x", id = "Bad Id!" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
            Assert.Contains("\"field\":\"id\"", await badId.Content.ReadAsStringAsync());
        }
        (await admin.PostAsJsonAsync("/api/environments", new { name = "Production", id = "prod" })).EnsureSuccessStatusCode();

        var project = await (await admin.PostAsJsonAsync("/api/environments/staging-eu/projects", new { name = "Checkout Service" }))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("staging-eu", project.GetProperty("envId").GetString());
        var projectId = project.GetProperty("id").GetGuid();
        using (var elsewhere = await admin.PostAsJsonAsync("/api/environments/prod/projects", new { projectId }))
        {
            Assert.Equal(HttpStatusCode.Conflict, elsewhere.StatusCode);
            Assert.Contains("staging-eu", await elsewhere.Content.ReadAsStringAsync());
        }
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/environments/staging-eu/projects");
        Assert.Equal("checkout-service", Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("slug").GetString());

        var renamed = await (await admin.PatchAsJsonAsync("/api/environments/staging-eu", new { name = "Staging (EU)" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Staging (EU)", renamed.GetProperty("name").GetString());
        Assert.Equal(1, renamed.GetProperty("projectCount").GetInt32());

        using (var removed = await admin.DeleteAsync("/api/environments/staging-eu/projects/checkout-service"))
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        (await admin.PostAsJsonAsync("/api/environments/prod/projects", new { projectId })).EnsureSuccessStatusCode();
        using (var deleted = await admin.DeleteAsync("/api/environments/staging-eu"))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var gone = await admin.GetAsync("/api/environments/staging-eu/projects"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/environments");
        Assert.Contains(all.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == "prod");
        Assert.DoesNotContain(all.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == "staging-eu");

        // A project key sees only the environment holding its project, and cannot change environments.
        var key = await (await admin.PostAsJsonAsync("/api/api-keys", new { projectId, name = "p" })).Content.ReadFromJsonAsync<JsonElement>();
        var projectClient = fixture.Seismo.ClientWithKey(key.GetProperty("key").GetString()!);
        var seen = await projectClient.GetFromJsonAsync<JsonElement>("/api/environments");
        Assert.Equal("prod", Assert.Single(seen.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        using var refused = await projectClient.PostAsJsonAsync("/api/environments", new { name = "mine" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_upload_routes_and_the_session_schema()
    {
        var document = await fixture.Seismo.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/environments/{envId}/projects/{projectId}/upload", "/api/uploads/{id}/chunks", "/api/uploads/{id}/complete",
                     "/api/environments/{envId}/projects/{projectId}/reports/stats" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        var session = document.GetProperty("components").GetProperty("schemas").GetProperty("UploadSession").GetProperty("properties");
        Assert.True(session.TryGetProperty("missingChunks", out _));
        Assert.True(session.TryGetProperty("phase", out _));
    }
}

/// <summary>Abandoned sessions expire: they fail, their files go and their build id is free again.</summary>
public sealed class UploadExpiryTests : IAsyncLifetime
{
    private readonly SeismoFactory _seismo = new(settings: new Dictionary<string, string>
    {
        ["Seismo:Uploads:SessionExpiry"] = "00:00:04",
        ["Seismo:Allure:Command"] = UploadFixture.MissingAllure,
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _seismo.DisposeAsync();

    [Fact]
    public async Task An_abandoned_chunked_session_expires_and_its_files_are_removed()
    {
        var kit = await UploadKit.CreateAsync(_seismo);
        var session = await kit.StartChunkedAsync("abandoned", 10, 2);
        var id = session.GetProperty("id").GetString()!;
        (await kit.PutChunkAsync(id, 0, 2, [1, 2, 3, 4, 5])).EnsureSuccessStatusCode();
        var folder = Path.Combine(_seismo.DataDir, "uploads", id);
        Assert.True(Directory.Exists(folder));

        var final = await kit.WaitFinalAsync(id, timeoutSeconds: 30);
        Assert.Equal("failed", final.GetProperty("phase").GetString());
        Assert.StartsWith("expired", final.GetProperty("error").GetString());
        Assert.False(Directory.Exists(folder));
        using var late = await kit.PutChunkAsync(id, 1, 2, [6, 7, 8, 9, 10]);
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        await kit.StartChunkedAsync("abandoned", 10, 2);   // the build id is free again
    }
}
