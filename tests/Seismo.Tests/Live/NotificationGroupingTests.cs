using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Tests.Support;

namespace Seismo.Tests.Live;

/// <summary>Notifications raised by ingest: one per run, however many tests it touched.</summary>
public sealed class NotificationGroupingTests(SeismoFixture fixture) : IClassFixture<SeismoFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private static async Task<string> RunAsync(HttpClient agent, int tests, Func<int, string> outcome, int returnCode = 0)
    {
        var archive = await SyntheticReports.ArchiveAsync(Enumerable.Range(0, tests).Select(i => new SyntheticCase("com.acme.Storm", $"t{i}", outcome(i))), returnCode);
        var id = (await (await agent.PostArchiveAsync(archive)).JsonAsync()).GetProperty("observation_id").GetString()!;
        await agent.WaitProcessedAsync(id);
        return id;
    }

    private static async Task<JsonElement[]> NotificationsAsync(HttpClient agent, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var list = (await agent.GetFromJsonAsync<JsonElement>("/api/notifications?limit=0")).EnumerateArray().ToArray();
            if (list.Length >= atLeast || DateTime.UtcNow > deadline) return list;
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_run_that_trips_the_infrastructure_gate_raises_one_warning_not_one_alert_per_test()
    {
        var (_, key) = await _seismo.CreateProjectAsync("storm-infra");
        var agent = _seismo.ClientWithKey(key);
        for (var i = 0; i < 3; i++) await RunAsync(agent, 30, _ => "passed");
        await RunAsync(agent, 30, _ => "failed", returnCode: 1);

        var notifications = await NotificationsAsync(agent, 1);
        await Task.Delay(600); // anything more would have arrived by now
        notifications = await NotificationsAsync(agent, 1);
        var only = Assert.Single(notifications);
        Assert.Equal("warning", only.GetProperty("severity").GetString());
        Assert.Equal("run", only.GetProperty("category").GetString());
    }

    [Fact]
    public async Task Many_tests_regressing_in_one_run_are_one_notification_that_lists_them()
    {
        var (_, key) = await _seismo.CreateProjectAsync("storm-regression");
        var agent = _seismo.ClientWithKey(key);
        for (var i = 0; i < 3; i++) await RunAsync(agent, 100, _ => "passed");
        // 12 of 100 fail twice in a row: under the infrastructure gate, so the second failure labels each a regression.
        await RunAsync(agent, 100, i => i < 12 ? "failed" : "passed", returnCode: 1);
        await RunAsync(agent, 100, i => i < 12 ? "failed" : "passed", returnCode: 1);

        var notifications = await NotificationsAsync(agent, 3);
        await Task.Delay(600);
        notifications = await NotificationsAsync(agent, 3);
        var tests = notifications.Where(n => n.GetProperty("category").GetString() == "test").ToList();
        var grouped = Assert.Single(tests);
        Assert.Equal("error", grouped.GetProperty("severity").GetString());
        Assert.Contains("12", grouped.GetProperty("title").GetString());
        Assert.Equal(2, notifications.Count(n => n.GetProperty("category").GetString() == "run")); // each failed run once
    }
}
