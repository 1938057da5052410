using Seismo.Grains;
using Seismo.Tests.Support;

namespace Seismo.Tests.Webhooks;

public sealed class WebhookBacklogTests
{
    [Fact]
    public async Task After_a_delivery_uses_all_its_attempts_the_next_ones_get_one_each_until_one_succeeds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = n => n <= 3 ? 503 : 200;
        var settings = WebhookTestSupport.FastSettings(baseDelay: "00:00:00.100");
        settings["Seismo:Webhooks:MaxAttempts"] = "2";
        await using var seismo = new SeismoFactory(settings: settings);
        var project = await seismo.DefaultProjectAsync();
        var admin = seismo.Admin();
        var id = await admin.CreateWebhookAsync(new { projectId = project, url = receiver.Url(), events = new[] { "run.completed" } });

        await seismo.PublishAsync(project, [.. Enumerable.Range(1, 4).Select(n => WebhookTestSupport.RunEvent(project, n))]);
        var deliveries = (await admin.WaitDeliveriesAsync(id, 4, d => d.State() != "pending")).Reverse().ToArray();
        Assert.Equal(["failed", "failed", "delivered", "delivered"], deliveries.Select(d => d.State()));
        Assert.Equal([503, 503], deliveries[0].StatusCodes());   // its full budget
        Assert.Equal([503], deliveries[1].StatusCodes());        // one attempt while the receiver keeps failing
        Assert.Equal([200], deliveries[2].StatusCodes());
        Assert.Equal([200], deliveries[3].StatusCodes());
        Assert.Equal([1L, 1L, 2L, 3L, 4L], receiver.Requests.Select(r => r.Json.GetProperty("sequence").GetInt64()));
    }
}
