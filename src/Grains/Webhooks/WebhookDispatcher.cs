using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Registry;
using Seismo.Domain.Webhooks;
using Seismo.Grains.Storage;
using Seismo.Grains.Telemetry;

namespace Seismo.Grains.Webhooks;

/// <summary>
/// Delivers the _outbox. A hosted service in the silo rather than grain timers or reminders: retries wait up to half
/// an hour, which a grain would have to stay activated (timers) or be woken for (reminders, at a one-minute
/// granularity and a store write each) to sit through, whereas here a waiting delivery is one pending task, and the
/// outbox row, not the process, is what makes it durable. Each webhook gets one worker at a time that sends its
/// deliveries one by one in queue order, so a receiver sees a webhook's events in order; the retry loop of a
/// delivery is a Polly pipeline (<see cref="AddPipeline"/>) whose delay continues the delivery's durable attempt
/// count, so a restart resumes the schedule rather than starting it again.
/// </summary>
/// <remarks>
/// Strict order has a cost when a receiver stays down: each delivery would wait out its full schedule before the
/// next starts. So once a delivery of a webhook has used all its attempts on retryable failures, the webhook's
/// following deliveries get one attempt each until one succeeds, which restores the full schedule.
/// In a cluster every silo runs one; the outbox (PostgresWebhookOutbox) hands each webhook to one of them by lease.
/// </remarks>
public sealed class WebhookDispatcher(
    IWebhookOutbox outbox,
    IGrainFactory grains,
    IHttpClientFactory httpClients,
    ResiliencePipelineProvider<string> pipelines,
    WebhookSignal signal,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    SeismoMetrics metrics,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string ClientName = "seismo-webhooks";
    public const string PipelineName = "seismo-webhooks";

    private static readonly ResiliencePropertyKey<DeliveryRun> RunKey = new("seismo.webhook-delivery");

    private readonly IWebhookOutbox _outbox = outbox;
    private readonly IGrainFactory _grains = grains;
    private readonly IHttpClientFactory _httpClients = httpClients;
    private readonly IOptions<WebhookOptions> _options = options;
    private readonly TimeProvider _clock = clock;
    private readonly Dictionary<Guid, Task> _workers = [];
    private readonly HashSet<Guid> _failing = [];
    private readonly Lock _failingLock = new();
    private readonly SeismoMetrics _metrics = metrics;
    private readonly StrongBox<long> _pendingDeliveries = PendingGauge(metrics);
    private DateTimeOffset _pendingCountedAt;

    /// <summary>The retry pipeline of one delivery: attempts time out after AttemptTimeout; retryable outcomes are retried with the backoff.</summary>
    public static void AddPipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, WebhookOptions o)
    {
        pipeline
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                // An upper bound: each delivery stops at its own budget (ShouldHandle), counting attempts made before a restart.
                MaxRetryAttempts = Math.Max(1, o.MaxAttempts - 1),
                ShouldHandle = args => ValueTask.FromResult(Run(args.Context).CanRetry && IsRetryable(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Run(args.Context).NextDelay(args.Outcome)),
                OnRetry = args => Run(args.Context).ScheduleAsync(args.RetryDelay),
            })
            .AddTimeout(o.AttemptTimeout);
    }

    /// <summary>Network errors, timeouts, 5xx, 408 and 429 are retried; refusals, redirects and other 4xx are final.</summary>
    public static bool IsRetryable(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        null => outcome.Result is not null && HttpClientResiliencePredicates.IsTransient(outcome),
        var e when Refusal(e) is not null => false,
        WebhookGoneException or StorageUnavailableException => false,
        var e => HttpClientResiliencePredicates.IsTransient(outcome) || e is OperationCanceledException,
    };

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var done in _workers.Where(w => w.Value.IsCompleted).Select(w => w.Key).ToList()) _workers.Remove(done);
            try
            {
                foreach (var (projectId, webhookId) in await _outbox.PendingWebhooksAsync(stop))
                {
                    if (_workers.Count >= _options.Value.MaxConcurrentWebhooks) break;
                    if (!_workers.ContainsKey(webhookId)) _workers[webhookId] = Task.Run(() => DrainAsync(projectId, webhookId, stop), CancellationToken.None);
                }
                await CountPendingAsync(stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                logger.LogWarning(e, "Reading the webhook outbox failed; retrying in {Interval}", _options.Value.PollInterval);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try { await signal.WaitAsync(_options.Value.PollInterval, stop); }
            catch (OperationCanceledException) { break; }
        }
        // Deliveries in progress stop where they are; their rows stay pending for the next start.
        await Task.WhenAll(_workers.Values);
    }

    // The outbox depth for the metrics gauge, read at most once a second as the scan loop goes round (scrapes never
    // touch the database). In a cluster every silo reports the same, cluster-wide figure.
    private async Task CountPendingAsync(CancellationToken stop)
    {
        var now = _clock.GetUtcNow();
        if (now - _pendingCountedAt < TimeSpan.FromSeconds(1)) return;
        _pendingCountedAt = now;
        Volatile.Write(ref _pendingDeliveries.Value, await _outbox.PendingCountAsync(stop));
    }

    private static StrongBox<long> PendingGauge(SeismoMetrics metrics)
    {
        var depth = new StrongBox<long>();
        metrics.ObserveDepth(SeismoMetrics.WebhookOutboxPending, () => Volatile.Read(ref depth.Value),
            "Webhook deliveries waiting in the outbox (cluster-wide; refreshed by the dispatcher's scan)");
        return depth;
    }

    private async Task DrainAsync(Guid projectId, Guid webhookId, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested && await _outbox.NextPendingAsync(webhookId, stop) is { } delivery)
            {
                var wait = delivery.NextAttemptAt - _clock.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _clock, stop);
                await DeliverAsync(delivery, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Webhook {Webhook} of project {Project}: delivery interrupted; resuming after {Interval}", webhookId, projectId, _options.Value.PollInterval);
            try { await Task.Delay(_options.Value.PollInterval, _clock, stop); }
            catch (OperationCanceledException) { }
        }
        finally
        {
            signal.Wake();
        }
    }

    private async Task DeliverAsync(PendingDelivery delivery, CancellationToken stop)
    {
        var o = _options.Value;
        bool failing;
        lock (_failingLock) failing = _failing.Contains(delivery.WebhookId);
        var run = new DeliveryRun(this, delivery, failing ? Math.Min(delivery.AttemptCount + 1, o.MaxAttempts) : o.MaxAttempts, stop);
        if (delivery.AttemptCount >= run.MaxAttempts)
        {
            await _outbox.CompleteAsync(delivery.DeliveryId, DeliveryStates.Failed, null, _clock.GetUtcNow(), CancellationToken.None);
            _metrics.WebhookOutcome(DeliveryStates.Failed);
            return;
        }

        var context = ResilienceContextPool.Shared.Get(stop);
        context.Properties.Set(RunKey, run);
        var (state, error) = (DeliveryStates.Failed, (string?)null);
        var exhausted = false;
        try
        {
            var pipeline = pipelines.GetPipeline<HttpResponseMessage>(PipelineName);
            using var response = await pipeline.ExecuteAsync(static (ctx, r) => r.AttemptAsync(ctx), context, run);
            if (response.IsSuccessStatusCode) state = DeliveryStates.Delivered;
            else
            {
                error = $"HTTP {(int)response.StatusCode}";
                exhausted = IsRetryable(Outcome.FromResult(response));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw; // shutting down: the delivery stays pending
        }
        catch (WebhookGoneException gone)
        {
            (state, error) = (DeliveryStates.Cancelled, gone.Message);
        }
        catch (Exception e) when (Refusal(e) is { } refusal)
        {
            (state, error) = (DeliveryStates.Refused, refusal.Message);
        }
        catch (Exception e) when (e is not StorageUnavailableException)
        {
            error = Describe(e);
            exhausted = IsRetryable(Outcome.FromException<HttpResponseMessage>(e));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        lock (_failingLock)
        {
            if (state == DeliveryStates.Delivered) _failing.Remove(delivery.WebhookId);
            else if (exhausted) _failing.Add(delivery.WebhookId);
        }
        await _outbox.CompleteAsync(delivery.DeliveryId, state, error, _clock.GetUtcNow(), CancellationToken.None);
        _metrics.WebhookOutcome(state);
        if (state != DeliveryStates.Delivered)
            logger.LogInformation("Webhook delivery {Delivery} ended {State} after {Attempts} attempts: {Error}", delivery.DeliveryId, state, run.Attempts, error);
    }

    private static DeliveryRun Run(ResilienceContext context) => context.Properties.GetValue(RunKey, null!);

    private static WebhookTargetRefusedException? Refusal(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is WebhookTargetRefusedException refused) return refused;
        }
        return null;
    }

    private string Describe(Exception e) => e switch
    {
        Polly.Timeout.TimeoutRejectedException or OperationCanceledException => $"timed out after {_options.Value.AttemptTimeout.TotalSeconds:0.###} s",
        HttpRequestException { InnerException: { } inner } http => $"{http.Message} ({inner.Message})",
        _ => e.Message,
    };

    /// <summary>The webhook was deleted or deactivated while its delivery waited.</summary>
    private sealed class WebhookGoneException(string message) : Exception(message);

    /// <summary>One delivery going through the pipeline: builds, signs and sends each attempt and records it.</summary>
    private sealed class DeliveryRun(WebhookDispatcher owner, PendingDelivery delivery, int maxAttempts, CancellationToken stop)
    {
        private readonly byte[] _body = Encoding.UTF8.GetBytes(delivery.Body);

        public int MaxAttempts { get; } = maxAttempts;

        /// <summary>Attempts made so far, including those made before a restart.</summary>
        public int Attempts { get; private set; } = delivery.AttemptCount;

        public bool CanRetry => Attempts < MaxAttempts && !stop.IsCancellationRequested;

        public TimeSpan NextDelay(Outcome<HttpResponseMessage> outcome)
        {
            var o = owner._options.Value;
            var delay = WebhookBackoff.Delay(Attempts, o.RetryBaseDelay, o.RetryMaxDelay, Random.Shared.NextDouble());
            // A receiver that says when to come back (429, 503) is not asked sooner, within the cap.
            if (outcome.Result?.Headers.RetryAfter is { } retryAfter)
            {
                var asked = retryAfter.Delta ?? (retryAfter.Date - owner._clock.GetUtcNow()) ?? TimeSpan.Zero;
                if (asked > delay) delay = asked < o.RetryMaxDelay ? asked : o.RetryMaxDelay;
            }
            return delay;
        }

        public ValueTask ScheduleAsync(TimeSpan delay)
        {
            owner._metrics.WebhookOutcome("retried");
            return new(owner._outbox.ScheduleAsync(delivery.DeliveryId, owner._clock.GetUtcNow() + delay, CancellationToken.None));
        }

        public async ValueTask<HttpResponseMessage> AttemptAsync(ResilienceContext context)
        {
            // Read each time: a webhook's URL, headers and secret may change while a delivery waits for its next attempt.
            var hook = await owner._grains.GetGrain<IWebhookGrain>(delivery.ProjectId).GetAsync(delivery.WebhookId);
            if (hook is null) throw new WebhookGoneException("the webhook was deleted");
            if (!hook.IsActive) throw new WebhookGoneException("the webhook is inactive");

            var attempt = ++Attempts;
            var started = owner._clock.GetUtcNow();
            var timestamp = started.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(_body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            foreach (var (name, value) in hook.Headers) request.Headers.TryAddWithoutValidation(name, value);
            request.Headers.UserAgent.ParseAdd("Seismo-Webhooks/1.0");
            request.Headers.Add("X-Seismo-Event", delivery.WebhookEvent);
            request.Headers.Add("X-Seismo-Delivery", delivery.DeliveryId);
            request.Headers.Add("X-Seismo-Timestamp", timestamp);
            request.Headers.Add("X-Seismo-Attempt", attempt.ToString(CultureInfo.InvariantCulture));
            if (hook.Secret is { } secret) request.Headers.Add("X-Seismo-Signature", WebhookSignature.Compute(secret, timestamp, _body));

            var watch = Stopwatch.StartNew();
            HttpResponseMessage response;
            try
            {
                response = await owner._httpClients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.CancellationToken);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                var error = Refusal(e)?.Message ?? owner.Describe(e);
                await owner._outbox.RecordAttemptAsync(delivery.DeliveryId, new WebhookAttemptInfo(attempt, started, watch.ElapsedMilliseconds, null, error), CancellationToken.None);
                throw;
            }
            catch (OperationCanceledException)
            {
                Attempts--; // interrupted by shutdown: not an attempt
                throw;
            }
            await owner._outbox.RecordAttemptAsync(delivery.DeliveryId,
                new WebhookAttemptInfo(attempt, started, watch.ElapsedMilliseconds, (int)response.StatusCode, null), CancellationToken.None);
            return response;
        }
    }
}
