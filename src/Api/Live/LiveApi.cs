using Microsoft.Extensions.Options;
using Seismo.Api.Auth;
using Seismo.Api.Endpoints;
using Seismo.Api.Infrastructure;
using Seismo.Grains;
using Seismo.Grains.Telemetry;

namespace Seismo.Api.Live;

/// <summary>
/// Server-sent event streams (permission view). Browsers' <c>EventSource</c> cannot set headers, so these routes also
/// take the key as <c>?key=</c>. A project's stream resumes with <c>Last-Event-ID</c> from the project's replay buffer.
/// </summary>
public static class LiveApi
{
    /// <summary>Sent when the client asked to resume from further back than the replay buffer reaches.</summary>
    public const string TruncatedEvent = "replay.truncated";

    public static IEndpointRouteBuilder MapLiveApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events/stream", ProjectStreamAsync).WithTags("Live").RequireAuthorization(Policies.View)
            .WithSummary("Every event of a project as SSE (event: type, id: sequence); resumes with Last-Event-ID (view; ?key= accepted)");
        app.MapGet("/api/notifications/stream", NotificationStreamAsync).WithTags("Live", "Notifications").RequireAuthorization(Policies.View)
            .WithSummary("New notifications as SSE (event: notification) for the key's account or project (view; ?key= accepted)");
        app.MapGet("/api/uploads/stream", UploadStreamAsync).WithTags("Live", "Uploads").RequireAuthorization(Policies.View)
            .WithSummary("Upload sessions as SSE: data is the session object on every change (view; ?key= accepted)");
        return app;
    }

    private static async Task<IResult> ProjectStreamAsync(HttpContext http, IGrainFactory grains, LiveBroker broker,
        IOptions<LiveOptions> options, SeismoMetrics metrics, TimeProvider clock, string? projectId)
    {
        var caller = SeismoCaller.From(http.User);
        var invalid = QueryParams.Project(caller, projectId, out var project);
        if (invalid is not null) return ApiError.Validation(invalid);
        long? resumeAfter = null;
        if (http.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } lastId)
        {
            if (!long.TryParse(lastId, out var parsed) || parsed < 0)
                return ApiError.Validation("Last-Event-ID", "invalid_format", "Header 'Last-Event-ID' must be an event sequence number");
            resumeAfter = parsed;
        }
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, project, Permission.View);
        if (denied is not null) return denied;

        // Subscribe before reading the buffer, so nothing falls between the replay and the live events.
        using var subscription = broker.Subscribe(e => e.ProjectId == project);
        var sse = await SseStream.OpenAsync(http);
        var ct = http.RequestAborted;
        long lastSent = 0;
        if (resumeAfter is { } after)
        {
            var replay = await grains.GetGrain<IProjectGrain>(project).GetEventsAfterAsync(after);
            if (replay.Truncated) await sse.WriteEventAsync(TruncatedEvent, null, LiveJson.Truncated(after, replay), ct);
            foreach (var e in replay.Events) await sse.WriteEventAsync(e.Type, e.Sequence.ToString(), LiveJson.Envelope(e), ct);
            lastSent = Math.Max(after, replay.LastSequence);
        }
        await PumpAsync(sse, subscription, options.Value.Heartbeat, ct, async e =>
        {
            if (e.Sequence <= lastSent) return;
            lastSent = e.Sequence;
            await sse.WriteEventAsync(e.Type, e.Sequence.ToString(), LiveJson.Envelope(e), ct);
            metrics.LiveDelivered("sse", e.Timestamp, clock.GetUtcNow());
        });
        return Results.Empty;
    }

    private static Task<IResult> NotificationStreamAsync(HttpContext http, LiveBroker broker, IOptions<LiveOptions> options,
        SeismoMetrics metrics, TimeProvider clock) =>
        CallerStreamAsync(http, broker, options, metrics, clock, EventTypes.NotificationCreated, sseType: "notification");

    private static Task<IResult> UploadStreamAsync(HttpContext http, LiveBroker broker, IOptions<LiveOptions> options,
        SeismoMetrics metrics, TimeProvider clock) =>
        CallerStreamAsync(http, broker, options, metrics, clock, EventTypes.UploadProgress, sseType: null);

    /// <summary>One type of event across every project the caller reaches; the payload alone is the frame's data.</summary>
    private static async Task<IResult> CallerStreamAsync(HttpContext http, LiveBroker broker, IOptions<LiveOptions> options,
        SeismoMetrics metrics, TimeProvider clock, string eventType, string? sseType)
    {
        var caller = SeismoCaller.From(http.User);
        using var subscription = broker.Subscribe(e => e.Type == eventType && Sees(caller, e));
        var sse = await SseStream.OpenAsync(http);
        await PumpAsync(sse, subscription, options.Value.Heartbeat, http.RequestAborted, async e =>
        {
            await sse.WriteEventAsync(sseType, null, e.Data, http.RequestAborted);
            metrics.LiveDelivered("sse", e.Timestamp, clock.GetUtcNow());
        });
        return Results.Empty;
    }

    /// <summary>An account key sees its account's events; a project key only its project's.</summary>
    internal static bool Sees(SeismoCaller caller, LiveEvent e) =>
        e.AccountId == caller.AccountId && (caller.ProjectId is null || caller.ProjectId == e.ProjectId);

    /// <summary>Writes events as they come and a heartbeat comment when the stream is quiet, until the client goes.</summary>
    private static async Task PumpAsync(SseStream sse, LiveSubscription subscription, TimeSpan heartbeat, CancellationToken ct,
        Func<LiveEvent, Task> write)
    {
        var reader = subscription.Reader;
        try
        {
            await sse.WriteRetryAsync(TimeSpan.FromSeconds(2), ct);
            while (!ct.IsCancellationRequested)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
                quiet.CancelAfter(heartbeat);
                bool more;
                try { more = await reader.WaitToReadAsync(quiet.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await sse.WriteCommentAsync("heartbeat", ct);
                    continue;
                }
                // Completed: this client fell too far behind; it reconnects with Last-Event-ID.
                if (!more) return;
                while (reader.TryRead(out var e)) await write(e);
            }
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }
}
