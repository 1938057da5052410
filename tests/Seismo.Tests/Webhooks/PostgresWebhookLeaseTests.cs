using Seismo.Grains.Hosting;
using Seismo.Grains.Webhooks;
using Seismo.Tests.Storage;
using Seismo.Tests.Support;

namespace Seismo.Tests.Webhooks;

/// <summary>
/// The cluster's webhook outbox hands each webhook to one silo at a time: a lease taken by the dispatcher's scan,
/// checked on every read of the next delivery, released when the queue is empty, and taken over once it expires.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresWebhookLeaseTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task Only_the_lease_holder_delivers_a_webhook_and_another_silo_takes_over_when_it_expires()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("leases_" + Guid.NewGuid().ToString("N")[..8]);
        await SeismoClusterHosting.MigrateAsync(connectionString, CancellationToken.None);
        var (clockA, clockB) = (new ManualClock(T0), new ManualClock(T0));
        using var siloA = new PostgresWebhookOutbox(connectionString, clockA, TimeSpan.FromSeconds(30));
        using var siloB = new PostgresWebhookOutbox(connectionString, clockB, TimeSpan.FromSeconds(30));
        var (project, webhook) = (Guid.NewGuid(), Guid.NewGuid());
        await siloA.EnqueueAsync([Entry(project, webhook, 1), Entry(project, webhook, 2)]);

        Assert.Equal([(project, webhook)], await siloA.PendingWebhooksAsync());
        Assert.Empty(await siloB.PendingWebhooksAsync());
        Assert.Null(await siloB.NextPendingAsync(webhook));
        var first = await siloA.NextPendingAsync(webhook);
        Assert.Equal("d1", first!.DeliveryId);

        // Silo A stops renewing (it died): after the lease runs out, B takes the webhook and A's worker stops.
        clockB.Now = T0.AddSeconds(31);
        clockA.Now = T0.AddSeconds(31);
        Assert.Equal([(project, webhook)], await siloB.PendingWebhooksAsync());
        Assert.Null(await siloA.NextPendingAsync(webhook));
        Assert.Empty(await siloA.PendingWebhooksAsync());
        Assert.Equal("d1", (await siloB.NextPendingAsync(webhook))!.DeliveryId);

        // B drains the queue; the empty read frees the webhook for whoever sees its next delivery first.
        await siloB.CompleteAsync("d1", "delivered", null, clockB.Now);
        await siloB.CompleteAsync("d2", "delivered", null, clockB.Now);
        Assert.Null(await siloB.NextPendingAsync(webhook));
        await siloB.EnqueueAsync([Entry(project, webhook, 3)]);
        Assert.Equal([(project, webhook)], await siloA.PendingWebhooksAsync());
        Assert.Equal("d3", (await siloA.NextPendingAsync(webhook))!.DeliveryId);
        Assert.Equal(3, (await siloA.ListAsync(webhook, 10, 0)).Total);
    }

    private static OutboxEntry Entry(Guid project, Guid webhook, int n) =>
        new($"d{n}", webhook, project, $"event-{n}", "run.completed", "run.completed", n, "{}", T0);

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
