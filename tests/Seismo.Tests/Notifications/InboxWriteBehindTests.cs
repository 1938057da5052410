using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Grains;
using Seismo.Tests.Api;
using Seismo.Tests.Support;

namespace Seismo.Tests.Notifications;

/// <summary>
/// A busy account raises a notification per failed run: the inbox writes them behind in one write, while what a
/// person does is written before the answer.
/// </summary>
public sealed class InboxWriteBehindTests
{
    [Fact]
    public async Task Raised_notifications_are_written_behind_together_and_a_mark_read_is_written_at_once()
    {
        await using var seismo = new SeismoFactory(settings: new Dictionary<string, string> { ["Seismo:InboxFlushDelay"] = "00:00:00.5" });
        var project = await seismo.DefaultProjectAsync();
        var inbox = seismo.Services.GetRequiredService<IGrainFactory>().GetGrain<INotificationInboxGrain>(Guid.NewGuid());

        Notification[] first = [];
        for (var i = 0; i < 25; i++)
        {
            var created = await inbox.RaiseAsync([NotificationsApiTests.Draft($"run {i} failed", project)]);
            if (i == 0) first = created;
        }
        Assert.Equal(25, await inbox.CountUnreadAsync(null));

        var written = await WaitForVersionAsync(seismo, expectedAtLeast: 1);
        Assert.Equal(1, written);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await InboxVersionAsync(seismo));

        Assert.True(await inbox.MarkReadAsync(first[0].Id, null));
        Assert.Equal(2, await InboxVersionAsync(seismo));
    }

    private static async Task<long> WaitForVersionAsync(SeismoFactory seismo, long expectedAtLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var version = await InboxVersionAsync(seismo);
            if (version >= expectedAtLeast || DateTime.UtcNow > deadline) return version;
            await Task.Delay(50);
        }
    }

    // Each grain state write bumps its row's version by one, starting at 1.
    private static async Task<long> InboxVersionAsync(SeismoFactory seismo)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(seismo.DataDir, "seismo.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(Version), 0) FROM OrleansStorage WHERE GrainTypeString = 'notifications'";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
