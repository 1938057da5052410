using System.Net;
using Seismo.Tests.Live;
using Seismo.Tests.Pipelines;
using Seismo.Tests.Reporting;
using Seismo.Tests.Support;
using Seismo.Tests.Webhooks;

namespace Seismo.Tests.Observability;

/// <summary>
/// /metrics as Prometheus reads it, after real traffic: a /collect, a reporter run, a RunWatch report, a live SSE client and a webhook
/// whose receiver fails once. Counters must move by exactly what happened; gauges and Orleans' grain counts must be there.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Ingest_live_delivery_and_webhook_outcomes_are_counted_exactly_and_queue_gauges_and_grain_counts_are_exposed()
    {
        await using var seismo = new SeismoFactory(settings: WebhookTestSupport.FastSettings());
        var baseAddress = seismo.StartKestrel();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = n => n == 1 ? 503 : 200;
        var (project, key) = await seismo.CreateProjectAsync("metrics");
        var admin = seismo.Admin();
        var webhook = await admin.CreateWebhookAsync(new { projectId = project, url = receiver.Url(), events = new[] { "run.completed" } });
        using var anonymous = new HttpClient { BaseAddress = baseAddress };
        var agent = new HttpClient { BaseAddress = baseAddress };
        agent.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        await using var sse = await SseClient.OpenAsync(agent, $"/api/events/stream?projectId={project}");

        var before = await PrometheusText.ScrapeAsync(anonymous);
        Assert.True(before.Value("seismo_live_subscribers") >= 1, before.Text);

        // One collect of three results.
        SyntheticCase[] cases = [new("com.acme.Metrics", "one"), new("com.acme.Metrics", "two"), new("com.acme.Metrics", "three")];
        using var collected = await agent.PostArchiveAsync(await SyntheticReports.ArchiveAsync(cases));
        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);
        // One reporter run of two tests.
        var runId = await agent.OpenRunAsync(project);
        await agent.PostTestAsync(ReporterClient.Test(runId, project, "login > works"));
        await agent.PostTestAsync(ReporterClient.Test(runId, project, "login > fails nicely"));
        await agent.CloseRunAsync(runId, "passed");
        // One RunWatch pipeline report of two jobs.
        var started = DateTimeOffset.UtcNow.AddMinutes(-5);
        await admin.PostRunAsync(RunWatchClient.Report("acme/metrics", 7, "success", started, duration: 60,
            jobs: [new JobSpec("build", "success", 30), new JobSpec("test", "success", 25)]));

        var afterIngest = await PrometheusText.ScrapeAsync(anonymous);
        double Moved(string name, string label) => afterIngest.Value(name, label) - before.Value(name, label);
        Assert.Equal(1, Moved("seismo_ingest_runs_total", "entry_point=\"collect\""));
        Assert.Equal(3, Moved("seismo_ingest_results_total", "entry_point=\"collect\""));
        Assert.Equal(1, Moved("seismo_ingest_runs_total", "entry_point=\"reporter\""));
        Assert.Equal(2, Moved("seismo_ingest_results_total", "entry_point=\"reporter\""));
        Assert.Equal(1, Moved("seismo_ingest_runs_total", "entry_point=\"pipeline\""));
        Assert.Equal(2, Moved("seismo_ingest_results_total", "entry_point=\"pipeline\""));
        Assert.Equal(0, Moved("seismo_ingest_runs_total", "entry_point=\"upload\""));

        // The live client gets the run's event; its delivery is timed.
        await sse.UntilAsync("run.completed");
        // The webhook: the first attempt gets a 503, the retry a 200.
        await admin.WaitDeliveriesAsync(webhook, 2, d => d.State() == "delivered");
        await seismo.DrainAsync();

        var after = await PrometheusText.ScrapeAsync(anonymous);
        Assert.True(after.Value("seismo_live_delivery_latency_seconds_count", "transport=\"sse\"")
            > before.Value("seismo_live_delivery_latency_seconds_count", "transport=\"sse\""), after.Text);
        Assert.True(after.Has("seismo_live_delivery_latency_seconds_bucket"), after.Text);
        Assert.Equal(2, after.Value("seismo_webhooks_deliveries_total", "outcome=\"delivered\"") - before.Value("seismo_webhooks_deliveries_total", "outcome=\"delivered\""));
        Assert.Equal(1, after.Value("seismo_webhooks_deliveries_total", "outcome=\"retried\"") - before.Value("seismo_webhooks_deliveries_total", "outcome=\"retried\""));
        Assert.Equal(0, after.Value("seismo_webhooks_deliveries_total", "outcome=\"failed\""));

        // Queue depths: every run has been fanned out, nothing is being processed.
        foreach (var gauge in new[] { "seismo_fanout_pending_runs", "seismo_uploads_processing", "seismo_webhooks_outbox_pending", "seismo_live_subscribers" })
            Assert.True(after.Has(gauge), $"{gauge} missing:\n{after.Text}");
        Assert.Equal(0, after.Value("seismo_fanout_pending_runs"));
        Assert.Equal(0, after.Value("seismo_uploads_processing"));
        // Orleans' own meters: grains by type, on this host only.
        Assert.True(after.Value("orleans_grains", "grain_type=\"project\"") >= 1, after.Text);
        Assert.True(after.Value("orleans_grains", "grain_type=\"test\"") >= 5, after.Text);
    }

    [Fact]
    public async Task A_webhook_outbox_backlog_shows_in_its_gauge_and_drains_to_zero()
    {
        await using var seismo = new SeismoFactory(settings: WebhookTestSupport.FastSettings(baseDelay: "00:00:30"));
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = _ => 503;
        var (project, _) = await seismo.CreateProjectAsync("metrics-backlog");
        var admin = seismo.Admin();
        var webhook = await admin.CreateWebhookAsync(new { projectId = project, url = receiver.Url(), events = new[] { "run.completed" } });
        using var anonymous = seismo.CreateClient();

        // Three deliveries pending: the first waits 30 s for its retry, the other two queue behind it.
        await seismo.PublishAsync(project, WebhookTestSupport.RunEvent(project, 1), WebhookTestSupport.RunEvent(project, 2), WebhookTestSupport.RunEvent(project, 3));
        await receiver.WaitForAsync(1);
        var backlog = await EventuallyAsync(anonymous, s => s.Value("seismo_webhooks_outbox_pending") == 3);
        Assert.Equal(3, backlog.Value("seismo_webhooks_outbox_pending"));
        Assert.Equal(1, backlog.Value("seismo_webhooks_deliveries_total", "outcome=\"retried\""));

        // Deleting the webhook removes its deliveries: the gauge follows on the dispatcher's next scan.
        Assert.True((await admin.DeleteAsync($"/api/webhooks/{webhook}")).IsSuccessStatusCode);
        await EventuallyAsync(anonymous, s => s.Value("seismo_webhooks_outbox_pending") == 0);
    }

    private static async Task<PrometheusText> EventuallyAsync(HttpClient http, Func<PrometheusText, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var scrape = await PrometheusText.ScrapeAsync(http);
            if (done(scrape)) return scrape;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the metrics did not reach the expected values:\n" + scrape.Text);
            await Task.Delay(100);
        }
    }
}
