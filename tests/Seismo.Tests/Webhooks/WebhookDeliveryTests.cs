using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Seismo.Grains;
using Seismo.Tests.Support;

namespace Seismo.Tests.Webhooks;

/// <summary>One Seismo that may deliver to loopback (AllowPrivateTargets) with 200 ms base delays, per test class.</summary>
public sealed class FastWebhookFixture : IAsyncLifetime
{
    public SeismoFactory Seismo { get; } = new(settings: WebhookTestSupport.FastSettings());

    public Task InitializeAsync()
    {
        _ = Seismo.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Seismo.DisposeAsync();
}

public sealed class WebhookDeliveryTests(FastWebhookFixture fixture) : IClassFixture<FastWebhookFixture>
{
    private readonly SeismoFactory _seismo = fixture.Seismo;

    [Fact]
    public async Task Published_events_are_delivered_signed_in_order_to_the_webhooks_that_subscribe()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (project, _) = await _seismo.CreateProjectAsync("hooks-signed");
        var admin = _seismo.Admin();
        const string secret = "whsec_signed-deliveries";
        var id = await admin.CreateWebhookAsync(new
        {
            projectId = project, url = receiver.Url(), events = new[] { "run.completed", "test.flaky" },
            headers = new Dictionary<string, string> { ["X-Custom-Header"] = "value", ["Authorization"] = "Bearer receiver-token" }, secret,
        });

        var completed = WebhookTestSupport.RunEvent(project, 1);
        var flaky = WebhookTestSupport.LabelEvent(project, 2, "SUSPECTED", "FLAKY");
        var failed = WebhookTestSupport.RunEvent(project, 3, EventTypes.RunFailed, "failed");       // not subscribed
        var progress = WebhookTestSupport.Event(project, 4, EventTypes.UploadProgress, new { percent = 50 }); // never sent to webhooks
        var regression = WebhookTestSupport.LabelEvent(project, 5, "FLAKY", "REGRESSION");         // not subscribed
        var recovered = WebhookTestSupport.LabelEvent(project, 6, "FLAKY", "STABLE");              // not subscribed
        await _seismo.PublishAsync(project, completed, flaky, failed, progress, regression, recovered);
        var requests = await receiver.WaitForAsync(2);
        await Task.Delay(300);
        Assert.Equal(2, receiver.Requests.Count);

        var before = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        foreach (var (request, expected, name) in new[] { (requests[0], completed, "run.completed"), (requests[1], flaky, "test.flaky") })
        {
            Assert.Equal("/hook", request.Path);
            Assert.Equal(name, request.Header("X-Seismo-Event"));
            Assert.StartsWith("dlv_", request.Header("X-Seismo-Delivery"));
            Assert.StartsWith("application/json", request.Header("Content-Type"));
            Assert.Equal("value", request.Header("X-Custom-Header"));
            Assert.Equal("Bearer receiver-token", request.Header("Authorization"));
            var timestamp = request.Header("X-Seismo-Timestamp");
            Assert.InRange(long.Parse(timestamp), before, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
            // What a receiver does: HMAC-SHA256 over "{timestamp}.{body}" with the shared secret, compared in constant time.
            var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(request.Body).ToArray();
            var expectedSignature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
            Assert.True(CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expectedSignature), Encoding.ASCII.GetBytes(request.Header("X-Seismo-Signature"))));

            var body = request.Json;
            Assert.Equal(expected.Id, body.GetProperty("id").GetString());
            Assert.Equal(expected.Type, body.GetProperty("type").GetString());
            Assert.Equal(name, body.GetProperty("event").GetString());
            Assert.Equal(expected.Sequence, body.GetProperty("sequence").GetInt64());
            Assert.Equal(project, body.GetProperty("projectId").GetGuid());
            Assert.Equal(expected.Timestamp, body.GetProperty("timestamp").GetDateTimeOffset());
            Assert.Equal(JsonDocument.Parse(expected.Data).RootElement.ToString(), body.GetProperty("data").ToString());
        }
        Assert.Equal("FLAKY", requests[1].Json.GetProperty("data").GetProperty("newLabel").GetString());
        Assert.Equal(1234, requests[0].Json.GetProperty("data").GetProperty("duration").GetInt64());

        var deliveries = await admin.WaitDeliveriesAsync(id, 2, d => d.State() == "delivered");
        Assert.Equal(["test.flaky", "run.completed"], deliveries.Select(d => d.GetProperty("event").GetString())); // newest first
        Assert.Equal(requests.Select(r => r.Header("X-Seismo-Delivery")).Reverse(), deliveries.Select(d => d.GetProperty("id").GetString()));
        foreach (var d in deliveries)
        {
            Assert.Equal([200], d.StatusCodes());
            Assert.Equal(1, d.GetProperty("attemptCount").GetInt32());
            Assert.True(d.GetProperty("attempts")[0].GetProperty("latencyMs").GetInt64() >= 0);
            Assert.Equal(JsonValueKind.String, d.GetProperty("completedAt").ValueKind);
            Assert.Equal(JsonValueKind.Null, d.GetProperty("nextAttemptAt").ValueKind);
            Assert.Equal(id, d.GetProperty("webhookId").GetString());
        }

        // Publishing the same events again (a replay) queues nothing new.
        await _seismo.PublishAsync(project, completed, flaky);
        await Task.Delay(700);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>($"/api/webhooks/{id}/deliveries")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_backoff_until_it_succeeds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = n => n <= 3 ? 500 : 200;
        var (project, _) = await _seismo.CreateProjectAsync("hooks-retry");
        var admin = _seismo.Admin();
        var id = await admin.CreateWebhookAsync(new { projectId = project, url = receiver.Url(), events = new[] { "run.failed" } });

        await _seismo.PublishAsync(project, WebhookTestSupport.RunEvent(project, 1, EventTypes.RunFailed, "failed"));
        var delivery = (await admin.WaitDeliveriesAsync(id, 1, d => d.State() != "pending")).Single();
        Assert.Equal("delivered", delivery.State());
        Assert.Equal([500, 500, 500, 200], delivery.StatusCodes());
        Assert.Equal(4, delivery.GetProperty("attemptCount").GetInt32());
        Assert.Equal(4, receiver.Requests.Count);

        var requests = receiver.Requests;
        Assert.Single(requests.Select(r => r.Header("X-Seismo-Delivery")).Distinct());
        Assert.Equal(["1", "2", "3", "4"], requests.Select(r => r.Header("X-Seismo-Attempt")));
        Assert.All(requests, r => Assert.False(r.Headers.ContainsKey("X-Seismo-Signature"))); // no secret, no signature
        // Exponential: 200 ms, 400 ms, 800 ms (±20%) between attempts. A busy machine only adds to a wait, so each gap
        // is held to its own lower bound (a fixed or linear backoff fails the later ones).
        var gaps = requests.Zip(requests.Skip(1), (a, b) => (b.At - a.At).TotalMilliseconds).ToArray();
        Assert.True(gaps[0] >= 150 && gaps[1] >= 300 && gaps[2] >= 600, string.Join(", ", gaps));
        var attempts = delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("startedAt").GetDateTimeOffset()).ToArray();
        Assert.Equal(attempts.Order(), attempts);
    }

    [Fact]
    public async Task A_4xx_is_final_and_the_next_delivery_still_goes_out()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = n => n == 1 ? 410 : 200;
        var (project, _) = await _seismo.CreateProjectAsync("hooks-final");
        var admin = _seismo.Admin();
        var id = await admin.CreateWebhookAsync(new { projectId = project, url = receiver.Url(), events = new[] { "run.completed" } });

        await _seismo.PublishAsync(project, WebhookTestSupport.RunEvent(project, 1), WebhookTestSupport.RunEvent(project, 2));
        var deliveries = await admin.WaitDeliveriesAsync(id, 2, d => d.State() != "pending");
        Assert.Equal(["delivered", "failed"], deliveries.Select(d => d.State()));
        Assert.Equal([410], deliveries[1].StatusCodes());
        Assert.Equal("HTTP 410", deliveries[1].GetProperty("lastError").GetString());
        Assert.Equal([200], deliveries[0].StatusCodes());
        Assert.Equal([1L, 2L], receiver.Requests.Select(r => r.Json.GetProperty("sequence").GetInt64()));
    }

    [Fact]
    public async Task An_inactive_webhook_receives_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (project, _) = await _seismo.CreateProjectAsync("hooks-inactive");
        var admin = _seismo.Admin();
        var id = await admin.CreateWebhookAsync(new { projectId = project, url = receiver.Url(), events = new[] { "run.completed" }, isActive = false });
        await _seismo.PublishAsync(project, WebhookTestSupport.RunEvent(project, 1));
        await admin.PatchAsJsonAsync($"/api/webhooks/{id}", new { isActive = true });
        await _seismo.PublishAsync(project, WebhookTestSupport.RunEvent(project, 2));
        await receiver.WaitForAsync(1);
        await Task.Delay(500);
        Assert.Equal([2L], receiver.Requests.Select(r => r.Json.GetProperty("sequence").GetInt64()));
    }
}
