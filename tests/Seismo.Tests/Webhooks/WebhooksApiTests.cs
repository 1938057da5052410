using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Webhooks;

/// <summary>One Seismo for the class, its key and webhook limit off (see <see cref="WebhookTestSupport.KeysWebhooksLimit"/>).</summary>
public sealed class WebhooksApiFixture : IAsyncLifetime
{
    public SeismoFactory Seismo { get; } = new(settings: new Dictionary<string, string> { [WebhookTestSupport.KeysWebhooksLimit] = "0" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Seismo.DisposeAsync();
}

public sealed class WebhooksApiTests(WebhooksApiFixture fixture) : IClassFixture<WebhooksApiFixture>
{
    private const string Secret = "whsec_do-not-return-me-0123456789";
    private readonly SeismoFactory _seismo = fixture.Seismo;

    [Fact]
    public async Task Create_list_patch_and_delete_follow_the_contract_and_never_return_the_secret()
    {
        var project = await _seismo.DefaultProjectAsync();
        var admin = _seismo.Admin();
        var texts = new List<string>();

        var created = await admin.PostAsJsonAsync("/api/webhooks", new
        {
            projectId = project, url = "https://hooks.example.com/services/T00/B00/xxx", events = new[] { "run.completed", "run.failed" },
            headers = new Dictionary<string, string> { ["X-Custom-Header"] = "value" }, secret = Secret,
        });
        texts.Add(await created.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonDocument.Parse(texts[^1]).RootElement;
        Assert.Equal(["id", "projectId", "url", "events", "isActive", "createdAt"], body.EnumerateObject().Select(p => p.Name));
        var id = body.GetProperty("id").GetString()!;
        Assert.StartsWith("wh_", id);
        Assert.Equal($"/api/webhooks/{id}", created.Headers.Location?.ToString());
        Assert.Equal(project, body.GetProperty("projectId").GetGuid());
        Assert.Equal(["run.completed", "run.failed"], body.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.True(body.GetProperty("isActive").GetBoolean());

        var listText = await admin.GetStringAsync($"/api/webhooks?projectId={project}");
        texts.Add(listText);
        var item = JsonDocument.Parse(listText).RootElement.GetProperty("data").EnumerateArray().Single(w => w.GetProperty("id").GetString() == id);
        Assert.Equal(["id", "projectId", "url", "events", "headers", "isActive", "createdAt"], item.EnumerateObject().Select(p => p.Name));
        Assert.Equal("value", item.GetProperty("headers").GetProperty("X-Custom-Header").GetString());
        Assert.Equal("https://hooks.example.com/services/T00/B00/xxx", item.GetProperty("url").GetString());

        var patched = await admin.PatchAsJsonAsync($"/api/webhooks/{id}", new { url = "https://hooks.example.com/new-url", events = new[] { "run.failed", "test.flaky" }, isActive = false });
        texts.Add(await patched.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var state = JsonDocument.Parse(texts[^1]).RootElement;
        Assert.Equal(["id", "url", "events", "isActive", "updatedAt"], state.EnumerateObject().Select(p => p.Name));
        Assert.Equal("https://hooks.example.com/new-url", state.GetProperty("url").GetString());
        Assert.Equal(["run.failed", "test.flaky"], state.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.False(state.GetProperty("isActive").GetBoolean());

        // A patch that leaves fields out keeps them; the secret can be rotated but never read.
        var rotated = await admin.PatchAsJsonAsync($"/api/webhooks/{id}", new { secret = Secret + "-2" });
        texts.Add(await rotated.Content.ReadAsStringAsync());
        Assert.Equal("https://hooks.example.com/new-url", JsonDocument.Parse(texts[^1]).RootElement.GetProperty("url").GetString());
        texts.Add(await admin.GetStringAsync($"/api/webhooks?projectId={project}"));
        texts.Add(await admin.GetStringAsync($"/api/webhooks/{id}/deliveries"));
        Assert.All(texts, t => Assert.DoesNotContain("whsec_", t));
        Assert.All(texts, t => Assert.DoesNotContain("secret", t, StringComparison.OrdinalIgnoreCase));

        var deleted = await admin.DeleteAsync($"/api/webhooks/{id}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("""{"success":true,"message":"Webhook deleted successfully"}""", await deleted.Content.ReadAsStringAsync());
        var after = await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks?projectId={project}");
        Assert.DoesNotContain(after.GetProperty("data").EnumerateArray(), w => w.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PatchAsJsonAsync($"/api/webhooks/{id}", new { isActive = true })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/webhooks/{id}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync("/api/webhooks/wh_nope")).StatusCode);
    }

    public static TheoryData<string, string, string> BadCreates(string project) => new()
    {
        { "{}", "projectId", "required" },
        { """{"projectId":"p1","url":"https://x.example/","events":["run.completed"]}""", "projectId", "invalid_format" },
        { $$"""{"projectId":"{{project}}","events":["run.completed"]}""", "url", "required" },
        { $$"""{"projectId":"{{project}}","url":42,"events":["run.completed"]}""", "url", "invalid_type" },
        { $$"""{"projectId":"{{project}}","url":"not a url","events":["run.completed"]}""", "url", "invalid_format" },
        { $$"""{"projectId":"{{project}}","url":"ftp://x.example/","events":["run.completed"]}""", "url", "invalid_scheme" },
        { $$"""{"projectId":"{{project}}","url":"file:///etc/passwd","events":["run.completed"]}""", "url", "invalid_scheme" },
        { $$"""{"projectId":"{{project}}","url":"http://169.254.169.254/","events":["run.completed"]}""", "url", "forbidden_address" },
        { $$"""{"projectId":"{{project}}","url":"http://10.0.0.8/hook","events":["run.completed"]}""", "url", "forbidden_address" },
        { $$"""{"projectId":"{{project}}","url":"http://[::1]:8080/","events":["run.completed"]}""", "url", "forbidden_address" },
        { $$"""{"projectId":"{{project}}","url":"https://u:p@x.example/","events":["run.completed"]}""", "url", "credentials_in_url" },
        { $$"""{"projectId":"{{project}}","url":"https://x.example/{{new string('a', 3000)}}","events":["run.completed"]}""", "url", "too_long" },
        { $$"""{"projectId":"{{project}}","url":"https://x.example/"}""", "events", "required" },
        { $$"""{"projectId":"{{project}}","url":"https://x.example/","events":[]}""", "events", "required" },
        { $$"""{"projectId":"{{project}}","url":"https://x.example/","events":"run.completed"}""", "events", "invalid_type" },
        { $$"""{"projectId":"{{project}}","url":"https://x.example/","events":[1]}""", "events", "invalid_type" },
        { $$"""{"projectId":"{{project}}","url":"https://x.example/","events":["run.started"]}""", "events", "invalid_value" },
        { $$"""{"projectId":"{{project}}","url":"https://x.example/","events":["test.status_changed"]}""", "events", "invalid_value" },
        { $$"""{"projectId":"{{project}}","url":"https://x.example/","events":["run.failed"],"headers":["a"]}""", "headers", "invalid_type" },
        { $$$"""{"projectId":"{{{project}}}","url":"https://x.example/","events":["run.failed"],"headers":{"A":1}}""", "headers", "invalid_type" },
        { $$$"""{"projectId":"{{{project}}}","url":"https://x.example/","events":["run.failed"],"headers":{"X-Seismo-Signature":"x"}}""", "headers", "reserved_header" },
        { $$$"""{"projectId":"{{{project}}}","url":"https://x.example/","events":["run.failed"],"headers":{"Bad Name":"x"}}""", "headers", "invalid_header_name" },
        { $$$"""{"projectId":"{{{project}}}","url":"https://x.example/","events":["run.failed"],"headers":{"X-A":"a\r\nB: c"}}""", "headers", "invalid_header_value" },
        { $$"""{"projectId":"{{project}}","url":"https://x.example/","events":["run.failed"],"secret":5}""", "secret", "invalid_type" },
        { $$"""{"projectId":"{{project}}","url":"https://x.example/","events":["run.failed"],"secret":"{{new string('s', 300)}}"}""", "secret", "too_long" },
        { $$"""{"projectId":"{{project}}","url":"https://x.example/","events":["run.failed"],"isActive":"yes"}""", "isActive", "invalid_type" },
        { "[]", "body", "invalid_type" },
        { "{not json", "body", "invalid_json" },
    };

    [Fact]
    public async Task Bad_input_is_a_400_that_names_the_field()
    {
        var project = await _seismo.DefaultProjectAsync();
        var admin = _seismo.Admin();
        foreach (var row in BadCreates(project.ToString()))
        {
            var (json, field, reason) = ((string)row[0], (string)row[1], (string)row[2]);
            var response = await admin.PostAsync("/api/webhooks", new StringContent(json, Encoding.UTF8, "application/json"));
            var body = await response.JsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{json[..Math.Min(json.Length, 120)]} answered {response.StatusCode}: {body}");
            Assert.Equal("VALIDATION_ERROR", body.ErrorCode());
            Assert.Equal(field, body.ErrorField());
            Assert.Equal(reason, body.GetProperty("error").GetProperty("details").GetProperty("reason").GetString());
        }

        var id = await admin.CreateWebhookAsync(new { projectId = project, url = "https://x.example/ok", events = new[] { "run.failed" } });
        foreach (var (json, field) in new[]
        {
            ("""{"url":"javascript:alert(1)"}""", "url"), ("""{"url":"http://127.0.0.1/"}""", "url"), ("""{"events":["nope"]}""", "events"),
            ("""{"events":[]}""", "events"), ("""{"headers":{"Host":"evil"}}""", "headers"), ("""{"isActive":1}""", "isActive"), ("""{"secret":[]}""", "secret"),
        })
        {
            var response = await admin.PatchAsync($"/api/webhooks/{id}", new StringContent(json, Encoding.UTF8, "application/json"));
            var body = await response.JsonAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"PATCH {json} answered {response.StatusCode}: {body}");
            Assert.Equal(field, body.ErrorField());
        }
        var list = await admin.GetAsync("/api/webhooks");
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
        Assert.Equal("projectId", (await list.JsonAsync()).ErrorField());
        Assert.Equal("limit", (await (await admin.GetAsync($"/api/webhooks/{id}/deliveries?limit=0")).JsonAsync()).ErrorField());
        await admin.DeleteAsync($"/api/webhooks/{id}");
    }

    [Fact]
    public async Task Another_tenant_cannot_see_or_change_a_projects_webhooks()
    {
        var (projectA, keyA) = await _seismo.CreateTenantAsync("hooks-tenant-a");
        var (projectB, keyB) = await _seismo.CreateTenantAsync("hooks-tenant-b");
        var clientA = _seismo.ClientWithKey(keyA);
        var id = await clientA.CreateWebhookAsync(new { projectId = projectA, url = "https://a.example/hook", events = new[] { "run.failed" }, secret = Secret });

        var clientB = _seismo.ClientWithKey(keyB);
        foreach (var path in new[] { $"/api/webhooks?projectId={projectA}", $"/api/webhooks/{id}/deliveries" })
        {
            var response = await clientB.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} answered {response.StatusCode}");
            Assert.Equal("NOT_FOUND", (await response.JsonAsync()).ErrorCode());
        }
        var writes = new[]
        {
            await clientB.PostAsJsonAsync("/api/webhooks", new { projectId = projectA, url = "https://b.example/steal", events = new[] { "run.failed" } }),
            await clientB.PatchAsJsonAsync($"/api/webhooks/{id}", new { url = "https://b.example/steal" }),
            await clientB.DeleteAsync($"/api/webhooks/{id}"),
        };
        foreach (var response in writes)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("FORBIDDEN", (await response.JsonAsync()).ErrorCode());
        }
        Assert.Empty((await clientB.GetFromJsonAsync<JsonElement>($"/api/webhooks?projectId={projectB}")).GetProperty("data").EnumerateArray());

        // Project keys (developer or viewer) do not manage webhooks, even of their own project.
        var (own, developerKey) = await _seismo.CreateProjectAsync("hooks-developer");
        Assert.Equal(HttpStatusCode.Forbidden, (await _seismo.ClientWithKey(developerKey).GetAsync($"/api/webhooks?projectId={own}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _seismo.ClientWithKey(developerKey).PostAsJsonAsync("/api/webhooks",
            new { projectId = own, url = "https://d.example/", events = new[] { "run.failed" } })).StatusCode);

        var list = await clientA.GetFromJsonAsync<JsonElement>($"/api/webhooks?projectId={projectA}");
        Assert.Equal("https://a.example/hook", list.GetProperty("data")[0].GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _seismo.CreateClient().GetAsync($"/api/webhooks?projectId={projectA}")).StatusCode);
        // The default admin is a third tenant: it sees nothing of A either.
        Assert.Equal(HttpStatusCode.NotFound, (await _seismo.Admin().GetAsync($"/api/webhooks?projectId={projectA}")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_webhook_routes_and_the_delivery_shape()
    {
        var doc = await _seismo.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/webhooks", out var root));
        Assert.True(root.TryGetProperty("get", out _) && root.TryGetProperty("post", out _));
        Assert.True(paths.GetProperty("/api/webhooks/{id}").TryGetProperty("patch", out _));
        Assert.True(paths.GetProperty("/api/webhooks/{id}").TryGetProperty("delete", out _));
        var deliveries = paths.GetProperty("/api/webhooks/{id}/deliveries").GetProperty("get");
        Assert.Contains("latencyMs", deliveries.GetProperty("description").GetString());
        Assert.Contains("WebhookDeliveryDto", doc.GetProperty("components").GetProperty("schemas").ToString() + deliveries.ToString());
    }
}
