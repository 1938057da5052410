using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Seismo.Grains;
using Seismo.Tests.Support;

namespace Seismo.Tests.Webhooks;

public sealed class WebhookSsrfAndRestartTests
{
    [Fact]
    public async Task Without_AllowPrivateTargets_loopback_is_refused_at_connect_time_and_metadata_at_registration()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var seismo = new SeismoFactory(settings: WebhookTestSupport.FastSettings(allowPrivate: false));
        var project = await seismo.DefaultProjectAsync();
        var admin = seismo.Admin();

        var metadata = await admin.PostAsJsonAsync("/api/webhooks", new { projectId = project, url = "http://169.254.169.254/", events = new[] { "run.completed" } });
        Assert.Equal(HttpStatusCode.BadRequest, metadata.StatusCode);
        var error = await metadata.JsonAsync();
        Assert.Equal("url", error.ErrorField());
        Assert.Equal("forbidden_address", error.GetProperty("error").GetProperty("details").GetProperty("reason").GetString());
        Assert.Contains("metadata", error.ErrorMessage());

        // A name is not resolved at registration (answers change); the connection checks the address it reaches.
        var id = await admin.CreateWebhookAsync(new { projectId = project, url = $"http://localhost:{receiver.Port}/hook", events = new[] { "run.completed" } });
        await seismo.PublishAsync(project, WebhookTestSupport.RunEvent(project, 1));
        var delivery = (await admin.WaitDeliveriesAsync(id, 1, d => d.State() != "pending")).Single();
        Assert.Equal("refused", delivery.State());
        Assert.Equal([(int?)null], delivery.StatusCodes()); // one attempt, no retry
        Assert.Contains("loopback", delivery.GetProperty("lastError").GetString());
        Assert.Contains("loopback", delivery.GetProperty("attempts")[0].GetProperty("error").GetString());
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task An_undelivered_delivery_survives_a_restart_and_is_delivered_by_the_next_process()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var up = false;
        receiver.Status = _ => Volatile.Read(ref up) ? 200 : 503;
        var dataDir = TempDir.Create("seismo-webhook-restart");
        Guid project;
        string id, deliveryId;
        LiveEvent published;
        // A 2 s base delay: the first process records one failed attempt and stops while the retry waits.
        var settings = WebhookTestSupport.FastSettings(baseDelay: "00:00:02");
        await using (var first = new SeismoFactory(dataDir, settings))
        {
            project = await first.DefaultProjectAsync();
            id = await first.Admin().CreateWebhookAsync(new { projectId = project, url = receiver.Url(), events = new[] { "run.completed" }, secret = "whsec_restart" });
            published = WebhookTestSupport.RunEvent(project, 7);
            await first.PublishAsync(project, published);
            var pending = (await first.Admin().WaitDeliveriesAsync(id, 1, d => d.GetProperty("attemptCount").GetInt32() >= 1)).Single();
            Assert.Equal("pending", pending.State());
            Assert.Equal(JsonValueKind.String, pending.GetProperty("nextAttemptAt").ValueKind);
            deliveryId = pending.GetProperty("id").GetString()!;
        }
        var attemptsBefore = receiver.Requests.Count;
        Volatile.Write(ref up, true);

        await using var second = new SeismoFactory(dataDir, settings);
        var delivery = (await second.Admin().WaitDeliveriesAsync(id, 1, d => d.State() != "pending")).Single();
        Assert.Equal("delivered", delivery.State());
        Assert.Equal(deliveryId, delivery.GetProperty("id").GetString());
        var codes = delivery.StatusCodes();
        Assert.Equal(attemptsBefore + 1, codes.Length);
        Assert.All(codes[..^1], c => Assert.Equal(503, c));
        Assert.Equal(200, codes[^1]);
        var last = receiver.Requests[^1];
        Assert.Equal(deliveryId, last.Header("X-Seismo-Delivery"));
        Assert.Equal(published.Id, last.Json.GetProperty("id").GetString());
        Assert.StartsWith("sha256=", last.Header("X-Seismo-Signature"));
    }
}
