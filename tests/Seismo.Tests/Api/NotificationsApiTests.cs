using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Domain.Security;
using Seismo.Grains;
using Seismo.Tests.Support;

namespace Seismo.Tests.Api;

public sealed class NotificationsApiTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private IGrainFactory Grains => _seismo.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task An_empty_inbox_lists_nothing_and_counts_zero()
    {
        var account = await NewAccountAsync();
        var list = await account.Client.GetAsync("/api/notifications");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal("[]", await list.Content.ReadAsStringAsync());
        Assert.Equal("""{"count":0}""", await account.Client.GetStringAsync("/api/notifications/unread"));
    }

    [Fact]
    public async Task Lists_newest_first_in_the_contract_shape()
    {
        var account = await NewAccountAsync();
        await RaiseAsync(account.Id, Draft("first", account.ProjectA), Draft("second", null, NotificationSeverity.Success, NotificationCategory.Upload));
        await RaiseAsync(account.Id, Draft("third", account.ProjectB, NotificationSeverity.Error, NotificationCategory.Run));

        var list = await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications");
        Assert.Equal(["third", "second", "first"], Titles(list));
        var n = list[1];
        Assert.Equal(["id", "title", "body", "category", "severity", "read", "created_at", "payload"], n.EnumerateObject().Select(p => p.Name));
        Assert.True(Guid.TryParse(n.GetProperty("id").GetString(), out _));
        Assert.Equal("body of second", n.GetProperty("body").GetString());
        Assert.Equal("upload", n.GetProperty("category").GetString());
        Assert.Equal("success", n.GetProperty("severity").GetString());
        Assert.False(n.GetProperty("read").GetBoolean());
        Assert.EndsWith("Z", n.GetProperty("created_at").GetString());
        Assert.True(DateTimeOffset.UtcNow - n.GetProperty("created_at").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        Assert.Equal("/reports/second/index.html", n.GetProperty("payload").GetProperty("url").GetString());
        Assert.Equal(["run", "error"], [list[0].GetProperty("category").GetString()!, list[0].GetProperty("severity").GetString()!]);
        Assert.Equal("""{"count":3}""", await account.Client.GetStringAsync("/api/notifications/unread"));
    }

    [Fact]
    public async Task Limit_defaults_to_fifty_and_zero_means_no_cap()
    {
        var account = await NewAccountAsync();
        await RaiseAsync(account.Id, [.. Enumerable.Range(0, 60).Select(i => Draft($"n{i}", account.ProjectA))]);

        var byDefault = Titles(await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications"));
        Assert.Equal(50, byDefault.Count);
        Assert.Equal("n59", byDefault[0]);
        Assert.Equal(["n59", "n58", "n57"], Titles(await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications?limit=3")));
        Assert.Equal(60, Titles(await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications?limit=0")).Count);
        Assert.Equal(60, Titles(await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications?limit=5000")).Count);
    }

    [Theory]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("limit=99999999999", "limit")]
    [InlineData("unread=maybe", "unread")]
    [InlineData("unread=", "unread")]
    [InlineData("unread=yes&limit=-1", "unread")]
    public async Task Bad_query_parameters_are_400_naming_the_field(string query, string field)
    {
        var account = await NewAccountAsync();
        var response = await account.Client.GetAsync($"/api/notifications?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("VALIDATION_ERROR", body.ErrorCode());
        Assert.Equal(field, body.ErrorField());
    }

    [Fact]
    public async Task Mark_one_read_then_all_read()
    {
        var account = await NewAccountAsync();
        var created = await RaiseAsync(account.Id, Draft("a", account.ProjectA), Draft("b", account.ProjectA), Draft("c", null));

        var patched = await account.Client.PatchAsync($"/api/notifications/{created[1].Id}/read", null);
        Assert.Equal(HttpStatusCode.NoContent, patched.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await account.Client.PatchAsync($"/api/notifications/{created[1].Id}/read", null)).StatusCode);
        Assert.Equal("""{"count":2}""", await account.Client.GetStringAsync("/api/notifications/unread"));
        Assert.Equal(["c", "a"], Titles(await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications?unread=true")));
        Assert.Equal(["c", "b", "a"], Titles(await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications?unread=false")));
        var b = (await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications")).EnumerateArray().Single(n => n.GetProperty("title").GetString() == "b");
        Assert.True(b.GetProperty("read").GetBoolean());

        var all = await account.Client.PostAsync("/api/notifications/read", null);
        Assert.Equal(HttpStatusCode.NoContent, all.StatusCode);
        Assert.Equal("""{"count":0}""", await account.Client.GetStringAsync("/api/notifications/unread"));
        Assert.Empty(Titles(await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications?unread=TRUE")));
        Assert.Equal(HttpStatusCode.NoContent, (await account.Client.PostAsync("/api/notifications/read", null)).StatusCode);
    }

    [Fact]
    public async Task Unknown_ids_are_404()
    {
        var account = await NewAccountAsync();
        await RaiseAsync(account.Id, Draft("a", account.ProjectA));
        foreach (var id in new[] { Guid.NewGuid().ToString(), "not-a-uuid" })
        {
            var patch = await account.Client.PatchAsync($"/api/notifications/{id}/read", null);
            Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
            Assert.Equal("NOT_FOUND", (await patch.JsonAsync()).ErrorCode());
            var delete = await account.Client.DeleteAsync($"/api/notifications/{id}");
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
            Assert.Equal("NOT_FOUND", (await delete.JsonAsync()).ErrorCode());
        }
        // Another account's notification is unknown too.
        var other = await NewAccountAsync();
        var theirs = await RaiseAsync(other.Id, Draft("theirs", other.ProjectA));
        Assert.Equal(HttpStatusCode.NotFound, (await account.Client.PatchAsync($"/api/notifications/{theirs[0].Id}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await account.Client.DeleteAsync($"/api/notifications/{theirs[0].Id}")).StatusCode);
        Assert.Equal("""{"count":1}""", await other.Client.GetStringAsync("/api/notifications/unread"));
    }

    [Fact]
    public async Task Delete_removes_one_notification()
    {
        var account = await NewAccountAsync();
        var created = await RaiseAsync(account.Id, Draft("keep", account.ProjectA), Draft("drop", account.ProjectA));

        Assert.Equal(HttpStatusCode.NoContent, (await account.Client.DeleteAsync($"/api/notifications/{created[1].Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await account.Client.DeleteAsync($"/api/notifications/{created[1].Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await account.Client.PatchAsync($"/api/notifications/{created[1].Id}/read", null)).StatusCode);
        Assert.Equal(["keep"], Titles(await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications")));
        Assert.Equal("""{"count":1}""", await account.Client.GetStringAsync("/api/notifications/unread"));
    }

    [Fact]
    public async Task The_inbox_keeps_the_newest_thousand()
    {
        var account = await NewAccountAsync();
        for (var batch = 0; batch < 3; batch++)
            await RaiseAsync(account.Id, [.. Enumerable.Range(batch * 335, 335).Select(i => Draft($"n{i}", account.ProjectA))]);

        var all = Titles(await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications?limit=0"));
        Assert.Equal(1_000, all.Count);
        Assert.Equal("n1004", all[0]);
        Assert.Equal("n5", all[^1]);
        Assert.Equal("""{"count":1000}""", await account.Client.GetStringAsync("/api/notifications/unread"));
    }

    [Fact]
    public async Task A_project_key_sees_and_changes_only_its_project_an_account_key_everything()
    {
        var account = await NewAccountAsync();
        var viewerA = _seismo.ClientWithKey(await ProjectKeyAsync(account, account.ProjectA, "viewer"));
        var created = await RaiseAsync(account.Id,
            Draft("a1", account.ProjectA), Draft("b1", account.ProjectB), Draft("wide", null), Draft("a2", account.ProjectA));
        var (a1, b1, wide) = (created[0], created[1], created[2]);

        Assert.Equal(["a2", "a1"], Titles(await viewerA.GetFromJsonAsync<JsonElement>("/api/notifications")));
        Assert.Equal("""{"count":2}""", await viewerA.GetStringAsync("/api/notifications/unread"));
        Assert.Equal("""{"count":4}""", await account.Client.GetStringAsync("/api/notifications/unread"));

        foreach (var outside in new[] { b1, wide })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await viewerA.PatchAsync($"/api/notifications/{outside.Id}/read", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await viewerA.DeleteAsync($"/api/notifications/{outside.Id}")).StatusCode);
        }

        // A viewer may mark read and delete in its own inbox.
        Assert.Equal(HttpStatusCode.NoContent, (await viewerA.PatchAsync($"/api/notifications/{a1.Id}/read", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await viewerA.PostAsync("/api/notifications/read", null)).StatusCode);
        Assert.Equal("""{"count":0}""", await viewerA.GetStringAsync("/api/notifications/unread"));
        Assert.Equal(HttpStatusCode.NoContent, (await viewerA.DeleteAsync($"/api/notifications/{a1.Id}")).StatusCode);

        var seenByAccount = await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications?limit=0");
        Assert.Equal(["a2", "wide", "b1"], Titles(seenByAccount));
        Assert.Equal(["wide", "b1"], Titles(await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications?unread=true")));
        Assert.Equal("""{"count":2}""", await account.Client.GetStringAsync("/api/notifications/unread"));

        var developerB = _seismo.ClientWithKey(await ProjectKeyAsync(account, account.ProjectB, "developer"));
        Assert.Equal(["b1"], Titles(await developerB.GetFromJsonAsync<JsonElement>("/api/notifications")));
    }

    [Fact]
    public async Task Every_route_needs_a_key()
    {
        var anonymous = _seismo.CreateClient();
        var id = Guid.NewGuid();
        foreach (var request in new[]
        {
            new HttpRequestMessage(HttpMethod.Get, "/api/notifications"),
            new HttpRequestMessage(HttpMethod.Get, "/api/notifications/unread"),
            new HttpRequestMessage(HttpMethod.Patch, $"/api/notifications/{id}/read"),
            new HttpRequestMessage(HttpMethod.Post, "/api/notifications/read"),
            new HttpRequestMessage(HttpMethod.Delete, $"/api/notifications/{id}"),
        })
        {
            var response = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("UNAUTHORIZED", (await response.JsonAsync()).ErrorCode());
        }
    }

    [Fact]
    public async Task Live_events_of_a_run_become_one_grouped_notification_once()
    {
        var account = await NewAccountAsync();
        var runId = $"2026-04-15T09:23:41.123456_{Guid.NewGuid()}";
        var camel = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var events = new List<LiveEvent>
        {
            Event(account, EventTypes.RunCompleted, JsonSerializer.Serialize(
                new RunEventData(runId, account.ProjectA, "passed", 40, 40, 0, 0, 3, 1, 900, "main", "a1b2c3d4", false), camel)),
        };
        for (var i = 0; i < 3; i++)
            events.Add(Event(account, EventTypes.TestStatusChanged, JsonSerializer.Serialize(
                new TestStatusEventData($"t_{i}", account.ProjectA, $"test {i}", null, "SUSPECTED", "FLAKY", "flips", 0.2, runId), camel)));

        var inbox = Grains.GetGrain<INotificationInboxGrain>(account.Id);
        var created = Assert.Single(await inbox.RaiseForEventsAsync([.. events]));
        Assert.Equal("3 tests turned flaky in run on main (a1b2c3d)", created.Title);
        Assert.Empty(await inbox.RaiseForEventsAsync([.. events])); // a replayed run notifies once

        var listed = Assert.Single((await account.Client.GetFromJsonAsync<JsonElement>("/api/notifications")).EnumerateArray());
        Assert.Equal(created.Id.ToString(), listed.GetProperty("id").GetString());
        Assert.Equal(["test", "warning"], [listed.GetProperty("category").GetString()!, listed.GetProperty("severity").GetString()!]);
        Assert.Equal(3, listed.GetProperty("payload").GetProperty("tests").GetArrayLength());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_routes()
    {
        var document = await _seismo.Admin().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/notifications", "/api/notifications/unread", "/api/notifications/{id}/read", "/api/notifications/read", "/api/notifications/{id}" })
            Assert.True(paths.TryGetProperty(path, out _), path);
    }

    internal sealed record TestAccount(Guid Id, HttpClient Client, Guid ProjectA, Guid ProjectB);

    /// <summary>A fresh account with its own admin key and two projects, so tests never share an inbox.</summary>
    private async Task<TestAccount> NewAccountAsync()
    {
        var id = Guid.NewGuid();
        var account = Grains.GetGrain<IAccountGrain>(id);
        await account.CreateAsync($"notifications-{id:N}", Tier.Enterprise);
        var key = $"smo_test_{id:N}";
        var now = DateTimeOffset.UtcNow;
        await account.AddKeyAsync(new ApiKeyInfo(Guid.NewGuid(), id, null, "admin", Role.Admin, ApiKeyText.HashHex(key), ApiKeyText.Mask(key), true, null, null, now, now));
        var client = _seismo.ClientWithKey(key);
        async Task<Guid> ProjectAsync(string name) =>
            (await (await client.PostAsJsonAsync("/api/projects", new { name })).EnsureSuccessStatusCode().JsonAsync()).GetProperty("id").GetGuid();
        return new TestAccount(id, client, await ProjectAsync("alpha"), await ProjectAsync("beta"));
    }

    private static async Task<string> ProjectKeyAsync(TestAccount account, Guid project, string role)
    {
        var created = await account.Client.PostAsJsonAsync("/api/api-keys", new { projectId = project, name = $"{role} key", role });
        return (await created.EnsureSuccessStatusCode().JsonAsync()).GetProperty("key").GetString()!;
    }

    private Task<Notification[]> RaiseAsync(Guid account, params NotificationDraft[] drafts) =>
        Grains.GetGrain<INotificationInboxGrain>(account).RaiseAsync(drafts);

    internal static NotificationDraft Draft(string title, Guid? project, NotificationSeverity severity = NotificationSeverity.Info,
        NotificationCategory category = NotificationCategory.System) =>
        new(project, category, severity, title, $"body of {title}", $$"""{"url":"/reports/{{title}}/index.html"}""", null);

    private static LiveEvent Event(TestAccount account, string type, string data) =>
        new(Guid.NewGuid().ToString(), type, EventTypes.Version, account.ProjectA, account.Id, 1, DateTimeOffset.UtcNow, data);

    internal static List<string> Titles(JsonElement list) => [.. list.EnumerateArray().Select(n => n.GetProperty("title").GetString()!)];
}
