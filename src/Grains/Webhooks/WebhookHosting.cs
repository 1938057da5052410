using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;

namespace Seismo.Grains.Webhooks;

public static class WebhookHosting
{
    /// <summary>
    /// The webhook outbox (created idempotently now), the guarded HTTP client, the retry pipeline and the dispatcher.
    /// Call after UseOrleans: the dispatcher then starts once the silo accepts calls, and stops before it.
    /// </summary>
    public static IHostApplicationBuilder AddSeismoWebhooks(this IHostApplicationBuilder builder, IWebhookOutbox outbox)
    {
        builder.Services.Configure<WebhookOptions>(builder.Configuration.GetSection(WebhookOptions.Section));
        outbox.InitializeAsync().GetAwaiter().GetResult();
        builder.Services.AddSingleton<IWebhookOutbox>(outbox);
        builder.Services.AddSingleton<WebhookSignal>();

        builder.Services.AddHttpClient(WebhookDispatcher.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var o = sp.GetRequiredService<IOptions<WebhookOptions>>().Value;
                return new SocketsHttpHandler
                {
                    ConnectCallback = new WebhookConnectGuard(o.AllowPrivateTargets).ConnectAsync,
                    ConnectTimeout = o.AttemptTimeout,
                    // A proxy would be connected to instead of the target, and a redirect would leave the checked URL.
                    UseProxy = false,
                    AllowAutoRedirect = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                };
            })
            // The default handler logs request URLs, and a webhook URL is often a credential (Slack, Teams).
            .RemoveAllLoggers();

        builder.Services.AddResiliencePipeline<string, HttpResponseMessage>(WebhookDispatcher.PipelineName, (pipeline, context) =>
            WebhookDispatcher.AddPipeline(pipeline, context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value));
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}
