using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Seismo.Cli.Tests.Support;

/// <summary>
/// A reverse proxy on loopback in front of a real Seismo that answers the first <c>POST /collect</c> requests itself
/// with a given status and Retry-After (what a gateway or a busy Seismo does), and forwards everything else.
/// It records when each collect request arrived, so a test can check the client waited as told.
/// </summary>
public sealed class FaultyFront : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private int _faultsLeft;

    private FaultyFront(WebApplication app, HttpClient upstream, int faults)
    {
        _app = app;
        _upstream = upstream;
        _faultsLeft = faults;
    }

    public ConcurrentQueue<DateTimeOffset> CollectArrivals { get; } = new();

    public Uri Url => new(_app.Urls.First());

    public static async Task<FaultyFront> StartAsync(Uri seismo, int faults, int status, string retryAfter)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var front = new FaultyFront(app, new HttpClient { BaseAddress = seismo }, faults);
        app.Run(async context =>
        {
            if (context.Request.Path == "/collect" && context.Request.Method == "POST")
            {
                front.CollectArrivals.Enqueue(DateTimeOffset.UtcNow);
                if (Interlocked.Decrement(ref front._faultsLeft) >= 0)
                {
                    context.Response.StatusCode = status;
                    context.Response.Headers.RetryAfter = retryAfter;
                    await context.Response.WriteAsJsonAsync(new { error = new { code = "RATE_LIMITED", message = "slow down" } });
                    return;
                }
            }
            await front.ForwardAsync(context);
        });
        await app.StartAsync();
        return front;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (body.Length > 0 || context.Request.ContentType is not null)
        {
            request.Content = new ByteArrayContent(body.ToArray());
            if (context.Request.ContentType is { } type) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        foreach (var (name, values) in context.Request.Headers)
            if (name is "Authorization" or "Accept" or "Last-Event-ID") request.Headers.TryAddWithoutValidation(name, values.ToArray());
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType) context.Response.ContentType = contentType.ToString();
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
