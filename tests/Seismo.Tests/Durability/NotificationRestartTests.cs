using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Grains;
using Seismo.Tests.Api;
using Seismo.Tests.Support;

namespace Seismo.Tests.Durability;

public sealed class NotificationRestartTests
{
    [Fact]
    public async Task Notifications_read_state_deletions_and_keys_survive_a_restart()
    {
        var dataDir = TempDir.Create("seismo-notifications");
        Guid account, project;
        Notification[] created;
        var keyed = NotificationsApiTests.Draft("keyed", null) with { Key = "run/replayed" };
        await using (var first = new SeismoFactory(dataDir))
        {
            project = await first.DefaultProjectAsync();
            account = (await first.Admin().GetFromJsonAsync<JsonElement>($"/api/projects/{project}")).GetProperty("teamId").GetGuid();
            var inbox = first.Services.GetRequiredService<IGrainFactory>().GetGrain<INotificationInboxGrain>(account);
            created = await inbox.RaiseAsync([
                NotificationsApiTests.Draft("one", project), NotificationsApiTests.Draft("two", project, NotificationSeverity.Error),
                NotificationsApiTests.Draft("three", null), keyed]);
            var admin = first.Admin();
            Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsync($"/api/notifications/{created[0].Id}/read", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/notifications/{created[2].Id}")).StatusCode);
        }

        await using var second = new SeismoFactory(dataDir);
        var client = second.Admin();
        var list = await client.GetFromJsonAsync<JsonElement>("/api/notifications");
        Assert.Equal(["keyed", "two", "one"], NotificationsApiTests.Titles(list));
        Assert.Equal([created[3].Id.ToString(), created[1].Id.ToString(), created[0].Id.ToString()],
            list.EnumerateArray().Select(n => n.GetProperty("id").GetString()));
        Assert.Equal([false, false, true], list.EnumerateArray().Select(n => n.GetProperty("read").GetBoolean()));
        Assert.Equal("error", list[1].GetProperty("severity").GetString());
        Assert.Equal(created[1].CreatedAt, list[1].GetProperty("created_at").GetDateTimeOffset());
        Assert.Equal("""{"count":2}""", await client.GetStringAsync("/api/notifications/unread"));

        var inboxAfter = second.Services.GetRequiredService<IGrainFactory>().GetGrain<INotificationInboxGrain>(account);
        Assert.Empty(await inboxAfter.RaiseAsync([keyed]));
        Assert.Equal(1, await inboxAfter.CountUnreadAsync(project));
    }
}
