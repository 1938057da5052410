using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Seismo.Tests.Support;
using Seismo.Tests.Webhooks;

namespace Seismo.Tests.Live;

/// <summary>
/// The whole live path over real HTTP: results that turn a test flaky reach an SSE client, a SignalR client, the
/// notification inbox (and its stream) and a signed webhook, all naming the same event.
/// </summary>
public sealed class FlakyAlertEndToEndTests
{
    [Fact]
    public async Task A_test_turning_flaky_reaches_sse_signalr_the_inbox_and_a_signed_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var seismo = new SeismoFactory(settings: WebhookTestSupport.FastSettings());
        var baseAddress = seismo.StartKestrel();
        var (projectId, key) = await seismo.CreateProjectAsync("alert-e2e");
        var admin = seismo.Admin();
        await LiveFlow.LowerThresholdAsync(seismo, projectId);
        const string secret = "whsec_e2e";
        await admin.CreateWebhookAsync(new { projectId, url = receiver.Url(), events = new[] { "test.flaky", "test.quarantined" }, secret });

        var http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        await using var events = await SseClient.OpenAsync(http, $"/api/events/stream?projectId={projectId}&key={key}");
        await using var notifications = await SseClient.OpenAsync(http, $"/api/notifications/stream?key={key}");
        var hubMessages = Channel.CreateUnbounded<JsonElement>();
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/live"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(key)).Build();
        hub.On<JsonElement>("testStatusChanged", m => hubMessages.Writer.TryWrite(m));
        await hub.StartAsync();
        await hub.InvokeAsync("SubscribeProject", projectId.ToString(), (long?)null);

        var agent = seismo.ClientWithKey(key);
        for (var i = 0; i < 30; i++) await LiveFlow.RunAsync(agent, i, wobblyFails: i % 3 == 2);

        // SSE: the label change, then the quarantine it triggers.
        var frames = await events.UntilAsync("test.status_changed", f => f.Json.GetProperty("data").GetProperty("newLabel").GetString() == "FLAKY");
        var flaky = frames[^1];
        var testId = flaky.Json.GetProperty("data").GetProperty("testId").GetString()!;

        // SignalR: the same event, same sequence.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        JsonElement hubFlaky;
        do hubFlaky = await hubMessages.Reader.ReadAsync(timeout.Token);
        while (hubFlaky.GetProperty("data").GetProperty("newLabel").GetString() != "FLAKY");
        Assert.Equal(flaky.Sequence, hubFlaky.GetProperty("sequence").GetInt64());
        Assert.Equal(flaky.Json.GetProperty("id").GetString(), hubFlaky.GetProperty("id").GetString());

        // The inbox: one grouped notification for the run, pushed on its stream and listed by the API.
        SseFrame pushed;
        do pushed = await notifications.NextAsync();
        while (!pushed.Json.GetProperty("title").GetString()!.Contains("flaky"));
        Assert.Equal("notification", pushed.Type);
        Assert.Equal("warning", pushed.Json.GetProperty("severity").GetString());
        Assert.Equal("test", pushed.Json.GetProperty("category").GetString());
        Assert.Contains(testId, pushed.Json.GetProperty("payload").ToString());
        var inbox = await agent.GetFromJsonAsync<JsonElement>("/api/notifications?unread=true&limit=0");
        var listed = inbox.EnumerateArray().Single(n => n.GetProperty("id").GetString() == pushed.Json.GetProperty("id").GetString());
        // The stream's notification is written by the project grain, the listing by the API: one shape, field for field.
        Assert.True(JsonElement.DeepEquals(listed, pushed.Json), $"streamed {pushed.Data} but listed {listed}");

        // The webhook: test.flaky for the same event, signed with the secret, then test.quarantined.
        var requests = await receiver.WaitForAsync(2);
        var delivered = requests[0];
        Assert.Equal("test.flaky", delivered.Header("X-Seismo-Event"));
        Assert.Equal(flaky.Json.GetProperty("id").GetString(), delivered.Json.GetProperty("id").GetString());
        Assert.Equal(flaky.Sequence, delivered.Json.GetProperty("sequence").GetInt64());
        var signed = Encoding.UTF8.GetBytes(delivered.Header("X-Seismo-Timestamp") + ".").Concat(delivered.Body).ToArray();
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)), delivered.Header("X-Seismo-Signature"));
        Assert.Equal("test.quarantined", requests[1].Header("X-Seismo-Event"));
        Assert.True(requests[1].Json.GetProperty("sequence").GetInt64() > flaky.Sequence);
    }
}
