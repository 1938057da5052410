using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Seismo.Tests.Support;

namespace Seismo.Tests.Live;

/// <summary>The SignalR hub with the .NET client against a real Kestrel server.</summary>
public sealed class LiveHubTests(LiveFixture fixture) : IClassFixture<LiveFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private static readonly string[] Methods = ["runCompleted", "runFailed", "testStatusChanged", "testQuarantined", "testUnquarantined", "replayTruncated"];

    /// <summary>A connected client whose messages, of every method, land in one channel in arrival order.</summary>
    private async Task<(HubConnection Hub, Channel<(string Method, JsonElement Message)> Messages)> ConnectAsync(string key)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.BaseAddress, "/hubs/live"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(key))
            .Build();
        var messages = Channel.CreateUnbounded<(string, JsonElement)>();
        foreach (var method in Methods) hub.On<JsonElement>(method, m => messages.Writer.TryWrite((method, m)));
        await hub.StartAsync();
        return (hub, messages);
    }

    private static async Task<(string Method, JsonElement Message)> NextAsync(Channel<(string, JsonElement)> messages)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await messages.Reader.ReadAsync(timeout.Token);
    }

    [Fact]
    public async Task A_subscribed_client_receives_runs_and_label_changes_of_its_project()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("hub-live");
        var (hub, messages) = await ConnectAsync(key);
        await using var _ = hub;
        await hub.InvokeAsync("SubscribeProject", projectId.ToString(), (long?)null);

        var agent = _seismo.ClientWithKey(key);
        var passing = await LiveFlow.RunAsync(agent, 0, wobblyFails: false);
        var (method, message) = await NextAsync(messages);
        Assert.Equal("runCompleted", method);
        Assert.Equal(passing, message.GetProperty("data").GetProperty("runId").GetString());
        Assert.Equal(1, message.GetProperty("sequence").GetInt64());
        Assert.Equal("run.completed", message.GetProperty("type").GetString());

        var retried = await LiveFlow.RunAsync(agent, 1, wobblyFails: false, retried: true);
        var received = new List<(string Method, JsonElement Message)> { await NextAsync(messages), await NextAsync(messages) };
        Assert.Equal(["runCompleted", "testStatusChanged"], received.Select(r => r.Method));
        var change = received[1].Message.GetProperty("data");
        Assert.Equal("STABLE", change.GetProperty("oldLabel").GetString());
        Assert.Equal("SUSPECTED", change.GetProperty("newLabel").GetString());
        Assert.Equal(retried, change.GetProperty("runId").GetString());

        await LiveFlow.RunAsync(agent, 2, wobblyFails: true);
        Assert.Equal("runFailed", (await NextAsync(messages)).Method);

        // Unsubscribed: nothing more arrives for the project.
        await hub.InvokeAsync("UnsubscribeProject", projectId.ToString());
        await LiveFlow.RunAsync(agent, 3, wobblyFails: false);
        await Task.Delay(300);
        Assert.False(messages.Reader.TryRead(out var late), $"unexpected {late.Item1} after unsubscribing");
    }

    [Fact]
    public async Task After_sequence_replays_what_the_client_missed()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("hub-replay");
        var agent = _seismo.ClientWithKey(key);
        var runs = new List<string>();
        for (var i = 0; i < 3; i++) runs.Add(await LiveFlow.RunAsync(agent, i, wobblyFails: false));

        var (hub, messages) = await ConnectAsync(key);
        await using var _ = hub;
        await hub.InvokeAsync("SubscribeProject", projectId.ToString(), (long?)1);
        var replayed = new[] { await NextAsync(messages), await NextAsync(messages) };
        Assert.Equal([2L, 3L], replayed.Select(r => r.Message.GetProperty("sequence").GetInt64()));
        Assert.Equal(runs[1..], replayed.Select(r => r.Message.GetProperty("data").GetProperty("runId").GetString()));
    }

    [Fact]
    public async Task The_hub_needs_a_key_and_hides_other_tenants_projects()
    {
        var (projectId, _) = await _seismo.CreateProjectAsync("hub-perms");
        var (_, otherKey) = await _seismo.CreateProjectAsync("hub-perms-other");

        var anonymous = new HubConnectionBuilder().WithUrl(new Uri(fixture.BaseAddress, "/hubs/live")).Build();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => anonymous.StartAsync());

        var (hub, _) = await ConnectAsync(otherKey);
        await using var _1 = hub;
        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("SubscribeProject", projectId.ToString(), (long?)null));
        Assert.Contains("not found", refused.Message);
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("SubscribeProject", "not-a-project", (long?)null));
    }
}
