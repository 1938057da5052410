using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Api.Live;
using Seismo.Tests.Support;

namespace Seismo.Tests.Live;

/// <summary>The project event stream over real HTTP: order, payloads, resumption, heartbeats, permissions.</summary>
public sealed class SseStreamTests(LiveFixture fixture) : IClassFixture<LiveFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    private HttpClient Anonymous() => new() { BaseAddress = fixture.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };

    private HttpClient WithKey(string key)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }

    [Fact]
    public async Task A_test_turning_flaky_streams_its_runs_label_change_and_quarantine_in_order()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("sse-flaky");
        await LiveFlow.LowerThresholdAsync(_seismo, projectId);
        await using var stream = await SseClient.OpenAsync(Anonymous(), $"/api/events/stream?projectId={projectId}&key={key}");
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", stream.Response.Headers.CacheControl?.ToString());

        var agent = WithKey(key);
        var first = await LiveFlow.RunAsync(agent, 0, wobblyFails: false);
        for (var i = 1; i < 30; i++) await LiveFlow.RunAsync(agent, i, wobblyFails: i % 3 == 2);

        var frames = await stream.UntilAsync("test.quarantined");
        Assert.Equal(Enumerable.Range(1, frames.Count).Select(n => (long)n), frames.Select(f => f.Sequence));
        var opening = frames[0];
        Assert.Equal("run.completed", opening.Type);
        Assert.Equal(first, opening.Json.GetProperty("data").GetProperty("runId").GetString());
        Assert.Equal(1, opening.Json.GetProperty("sequence").GetInt64());
        Assert.Equal(projectId, opening.Json.GetProperty("projectId").GetGuid());
        Assert.StartsWith("evt_", opening.Json.GetProperty("id").GetString());
        Assert.Contains(frames, f => f.Type == "run.failed" && f.Json.GetProperty("data").GetProperty("failedTests").GetInt32() == 1);

        var toFlaky = frames.Single(f => f.Type == "test.status_changed" && f.Json.GetProperty("data").GetProperty("newLabel").GetString() == "FLAKY");
        Assert.Equal("wobbly", toFlaky.Json.GetProperty("data").GetProperty("testTitle").GetString());
        Assert.InRange(toFlaky.Json.GetProperty("data").GetProperty("flakinessScore").GetDouble(), 0.01, 1);
        var quarantined = frames[^1].Json.GetProperty("data");
        Assert.True(quarantined.GetProperty("automatic").GetBoolean());
        Assert.Equal(toFlaky.Json.GetProperty("data").GetProperty("testId").GetString(), quarantined.GetProperty("testId").GetString());
        Assert.True(toFlaky.Sequence < frames[^1].Sequence);
    }

    [Fact]
    public async Task Last_event_id_replays_what_was_missed_then_continues_live_without_duplicates()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("sse-resume");
        var agent = WithKey(key);
        var runs = new List<string>();
        for (var i = 0; i < 3; i++) runs.Add(await LiveFlow.RunAsync(agent, i, wobblyFails: false));

        await using var stream = await SseClient.OpenAsync(agent, $"/api/events/stream?projectId={projectId}", lastEventId: "1");
        var replayed = new[] { await stream.NextAsync(), await stream.NextAsync() };
        Assert.Equal([2L, 3L], replayed.Select(f => f.Sequence));
        Assert.Equal(runs[1..], replayed.Select(f => f.Json.GetProperty("data").GetProperty("runId").GetString()));

        var live = await LiveFlow.RunAsync(agent, 3, wobblyFails: false);
        var next = await stream.NextAsync();
        Assert.Equal(4, next.Sequence);
        Assert.Equal(live, next.Json.GetProperty("data").GetProperty("runId").GetString());
    }

    [Fact]
    public async Task Resuming_from_before_the_buffer_says_so_then_replays_what_it_holds()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("sse-truncated");
        var agent = WithKey(key);
        const int runs = LiveFixture.ReplayCapacity + 4;
        for (var i = 0; i < runs; i++) await LiveFlow.RunAsync(agent, i, wobblyFails: false);

        await using var stream = await SseClient.OpenAsync(agent, $"/api/events/stream?projectId={projectId}", lastEventId: "0");
        var notice = await stream.NextAsync();
        Assert.Equal("replay.truncated", notice.Type);
        Assert.Equal(runs - LiveFixture.ReplayCapacity + 1, notice.Json.GetProperty("oldestAvailable").GetInt64());
        Assert.Equal(runs, notice.Json.GetProperty("lastSequence").GetInt64());
        var held = new List<long>();
        for (var i = 0; i < LiveFixture.ReplayCapacity; i++) held.Add((await stream.NextAsync()).Sequence);
        Assert.Equal(Enumerable.Range(runs - LiveFixture.ReplayCapacity + 1, LiveFixture.ReplayCapacity).Select(n => (long)n), held);
    }

    [Fact]
    public async Task A_quiet_stream_gets_comment_heartbeats_and_a_closed_one_is_cleaned_up()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("sse-quiet");
        var broker = _seismo.Services.GetRequiredService<LiveBroker>();
        var before = broker.SubscriberCount;
        var stream = await SseClient.OpenAsync(WithKey(key), $"/api/events/stream?projectId={projectId}");
        var heartbeat = await stream.NextAsync(comments: true, timeoutSeconds: 5);
        Assert.Equal("heartbeat", heartbeat.Comment);
        Assert.Equal(before + 1, broker.SubscriberCount);

        await stream.DisposeAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (broker.SubscriberCount > before && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(before, broker.SubscriberCount);
    }

    [Fact]
    public async Task Streams_need_a_key_that_reaches_the_project()
    {
        var (projectId, key) = await _seismo.CreateProjectAsync("sse-perms");
        var (_, otherKey) = await _seismo.CreateProjectAsync("sse-perms-other");
        var (_, viewerKey) = await _seismo.CreateProjectAsync("sse-perms-viewer", role: "viewer");

        using var anonymous = await Anonymous().GetAsync($"/api/events/stream?projectId={projectId}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("UNAUTHORIZED", (await anonymous.Content.ReadFromJsonAsync<JsonElement>()).ErrorCode());
        using var other = await WithKey(otherKey).GetAsync($"/api/events/stream?projectId={projectId}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        using var badKey = await Anonymous().GetAsync($"/api/events/stream?projectId={projectId}&key=smo_wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, badKey.StatusCode);

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/events/stream?projectId={projectId}");
        request.Headers.Add("Last-Event-ID", "yesterday");
        using var badResume = await WithKey(key).SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, badResume.StatusCode);
        Assert.Equal("Last-Event-ID", (await badResume.Content.ReadFromJsonAsync<JsonElement>()).ErrorField());

        // A key in the query string is read on the live routes only.
        using var queryElsewhere = await Anonymous().GetAsync($"/api/projects/{projectId}?key={key}");
        Assert.Equal(HttpStatusCode.Unauthorized, queryElsewhere.StatusCode);

        // A viewer of its own project, and a project key without projectId, both stream.
        await using var viewer = await SseClient.OpenAsync(WithKey(viewerKey), "/api/events/stream");
        Assert.Equal(HttpStatusCode.OK, viewer.Response.StatusCode);
        foreach (var path in new[] { "/api/notifications/stream", "/api/uploads/stream" })
        {
            using var response = await Anonymous().GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            await using var allowed = await SseClient.OpenAsync(WithKey(viewerKey), path);
            Assert.Equal(HttpStatusCode.OK, allowed.Response.StatusCode);
        }
    }
}
