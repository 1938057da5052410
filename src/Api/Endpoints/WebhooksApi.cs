using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Domain.Webhooks;
using Seismo.Grains;
using Seismo.Grains.Webhooks;

namespace Seismo.Api.Endpoints;

/// <summary>
/// A project's webhooks (permission manage). Reading another tenant's webhooks is 404, changing them 403. The secret
/// is write-only: it signs deliveries and no answer contains it.
/// </summary>
public static class WebhooksApi
{
    private const string DeliveriesDescription = """
        The webhook's deliveries, newest first (limit 1-500, default 50; offset). Each delivery is one event for this webhook:
        `id` (dlv_…, also sent as X-Seismo-Delivery), `eventId`, `eventType` (the live event type), `event` (the webhook event name),
        `sequence`, `state`, `attemptCount`, `lastStatusCode`, `lastError`, `createdAt`, `nextAttemptAt` (while pending), `completedAt`,
        and `attempts`: every HTTP attempt with `attempt`, `startedAt`, `latencyMs`, `statusCode` (null when no response came) and `error`.
        States: `pending` (queued or waiting to retry), `delivered` (2xx), `failed` (a 4xx other than 408/429, a redirect, or every
        attempt failed), `refused` (the URL resolved to a loopback, private, link-local, CGNAT, metadata or other non-public address),
        `cancelled` (the webhook was deactivated before the delivery was made).
        """;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Manage)
            .AddEndpointFilter(RateLimits.Filter(RateLimitGroup.KeysWebhooks));
        group.MapGet("/", ListAsync).WithSummary("Webhooks of a project (projectId)");
        group.MapPost("/", CreateAsync)
            .WithSummary("Create a webhook: {projectId, url, events, headers?, secret?, isActive?}")
            .WithDescription($"Events: {string.Join(", ", WebhookEvents.All)}. The URL must be http(s) and, unless private targets are allowed, not an IP literal of a loopback, private, link-local, CGNAT or metadata address.");
        group.MapPatch("/{id}", PatchAsync).WithSummary("Change a webhook's url, events, headers, secret (\"\" removes it) or isActive");
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a webhook, its queued deliveries and their history");
        group.MapGet("/{id}/deliveries", DeliveriesAsync).WithSummary("Delivery attempts of a webhook: status codes, latency, final state")
            .WithDescription(DeliveriesDescription);
        return app;
    }

    private static async Task<Results<Ok<DataList<WebhookDto>>, JsonHttpResult<ErrorEnvelope>>> ListAsync(
        HttpContext http, IGrainFactory grains, string? projectId)
    {
        var caller = SeismoCaller.From(http.User);
        if (QueryParams.Project(caller, projectId, out var project) is { } invalid) return ApiError.Validation(invalid);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, caller, project, Permission.View);
        if (denied is not null) return denied;
        var hooks = await grains.GetGrain<IWebhookGrain>(project).ListAsync();
        return TypedResults.Ok(new DataList<WebhookDto>(hooks.OrderBy(h => h.CreatedAt).Select(ToDto).ToList()));
    }

    private static async Task<Results<Created<CreatedWebhookDto>, JsonHttpResult<ErrorEnvelope>>> CreateAsync(
        HttpContext http, IGrainFactory grains, IOptions<WebhookOptions> options)
    {
        var caller = SeismoCaller.From(http.User);
        var (root, error) = await ReadBodyAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var body = new JsonFields(root);
        var projectId = body.Guid("projectId", required: true);
        if (body.Error is not null) return ApiError.Validation(body.Error);
        var url = body.String("url", required: true, maxLength: int.MaxValue);
        if (body.Error is not null) return ApiError.Validation(body.Error);
        if (CheckUrl(url!, options.Value) is { } badUrl) return ApiError.Validation(badUrl);
        var (events, badEvents) = ReadEvents(root, required: true);
        if (badEvents is not null) return ApiError.Validation(badEvents);
        var (headers, badHeaders) = ReadHeaders(root);
        if (badHeaders is not null) return ApiError.Validation(badHeaders);
        var secret = body.String("secret", maxLength: WebhookRules.MaxSecretLength);
        var isActive = body.Bool("isActive") ?? true;
        if (body.Error is not null) return ApiError.Validation(body.Error);

        var (project, denied) = await ProjectAccess.ResolveAsync(grains, caller, projectId!.Value, Permission.Manage);
        if (denied is not null) return denied;
        var grain = grains.GetGrain<IWebhookGrain>(project!.Id);
        if ((await grain.ListAsync()).Length >= options.Value.MaxWebhooksPerProject)
            return ApiError.Validation("projectId", "limit_reached", $"Project '{project.Id}' already has {options.Value.MaxWebhooksPerProject} webhooks, the most a project may have");
        var hook = await grain.CreateAsync(new WebhookSpec(project.AccountId, url!, events!, headers ?? [], secret, isActive));
        var id = WebhookIds.Format(hook.ProjectId, hook.Id);
        return TypedResults.Created($"/api/webhooks/{id}", new CreatedWebhookDto(id, hook.ProjectId, hook.Url, hook.Events, hook.IsActive, hook.CreatedAt));
    }

    private static async Task<Results<Ok<UpdatedWebhookDto>, JsonHttpResult<ErrorEnvelope>>> PatchAsync(
        HttpContext http, IGrainFactory grains, IOptions<WebhookOptions> options, string id)
    {
        if (!WebhookIds.TryParse(id, out var projectId, out var webhookId)) return ApiError.NotFound("Webhook", id);
        var (root, error) = await ReadBodyAsync(http.Request);
        if (error is not null) return ApiError.Validation(error);
        var body = new JsonFields(root);
        var url = body.String("url", maxLength: int.MaxValue);
        if (body.Error is not null) return ApiError.Validation(body.Error);
        if (url is not null && CheckUrl(url, options.Value) is { } badUrl) return ApiError.Validation(badUrl);
        var (events, badEvents) = ReadEvents(root, required: false);
        if (badEvents is not null) return ApiError.Validation(badEvents);
        var (headers, badHeaders) = ReadHeaders(root);
        if (badHeaders is not null) return ApiError.Validation(badHeaders);
        var secret = body.String("secret", maxLength: WebhookRules.MaxSecretLength);
        var isActive = body.Bool("isActive");
        if (body.Error is not null) return ApiError.Validation(body.Error);

        var (_, denied) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(http.User), projectId, Permission.Manage);
        if (denied is not null) return denied;
        var hook = await grains.GetGrain<IWebhookGrain>(projectId).UpdateAsync(webhookId, new WebhookPatch(url, events, headers, secret, isActive));
        if (hook is null) return ApiError.NotFound("Webhook", id);
        return TypedResults.Ok(new UpdatedWebhookDto(id, hook.Url, hook.Events, hook.IsActive, hook.UpdatedAt));
    }

    private static async Task<Results<Ok<DeletedDto>, JsonHttpResult<ErrorEnvelope>>> DeleteAsync(HttpContext http, IGrainFactory grains, string id)
    {
        if (!WebhookIds.TryParse(id, out var projectId, out var webhookId)) return ApiError.NotFound("Webhook", id);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(http.User), projectId, Permission.Manage);
        if (denied is not null) return denied;
        return await grains.GetGrain<IWebhookGrain>(projectId).DeleteAsync(webhookId)
            ? TypedResults.Ok(new DeletedDto(true, "Webhook deleted successfully"))
            : ApiError.NotFound("Webhook", id);
    }

    private static async Task<Results<Ok<PagedList<WebhookDeliveryDto>>, JsonHttpResult<ErrorEnvelope>>> DeliveriesAsync(
        HttpContext http, IGrainFactory grains, string id, string? limit, string? offset)
    {
        if (QueryParams.Paging(limit, offset, out var take, out var skip) is { } invalid) return ApiError.Validation(invalid);
        if (!WebhookIds.TryParse(id, out var projectId, out var webhookId)) return ApiError.NotFound("Webhook", id);
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(http.User), projectId, Permission.View);
        if (denied is not null) return ApiError.NotFound("Webhook", id);
        var page = await grains.GetGrain<IWebhookGrain>(projectId).ListDeliveriesAsync(webhookId, take, skip);
        if (page is null) return ApiError.NotFound("Webhook", id);
        return TypedResults.Ok(new PagedList<WebhookDeliveryDto>(page.Data.Select(d => ToDto(id, d)).ToList(), page.Total, take, skip));
    }

    public static WebhookDto ToDto(WebhookInfo h) =>
        new(WebhookIds.Format(h.ProjectId, h.Id), h.ProjectId, h.Url, h.Events, h.Headers, h.IsActive, h.CreatedAt);

    private static WebhookDeliveryDto ToDto(string webhookId, WebhookDeliveryInfo d) =>
        new(d.Id, webhookId, d.EventId, d.EventType, d.WebhookEvent, d.Sequence, d.State, d.AttemptCount, d.LastStatusCode, d.LastError,
            d.CreatedAt, d.NextAttemptAt, d.CompletedAt,
            d.Attempts.Select(a => new WebhookAttemptDto(a.Attempt, a.StartedAt, a.LatencyMs, a.StatusCode, a.Error)).ToList());

    private static FieldError? CheckUrl(string url, WebhookOptions options) =>
        WebhookRules.CheckUrl(url, options.AllowPrivateTargets, out _) is { } v ? new FieldError("url", v.Reason, v.Message) : null;

    /// <summary><c>events</c>: a non-empty array of known webhook event names; duplicates are dropped.</summary>
    private static (string[]? Events, FieldError? Error) ReadEvents(JsonElement root, bool required)
    {
        if (!root.TryGetProperty("events", out var value) || value.ValueKind == JsonValueKind.Null)
            return (null, required ? new FieldError("events", "required", "Field 'events' is required") : null);
        if (value.ValueKind != JsonValueKind.Array) return (null, new FieldError("events", "invalid_type", "Field 'events' must be an array of event names"));
        var events = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) return (null, new FieldError("events", "invalid_type", "Field 'events' must be an array of event names"));
            var name = item.GetString()!;
            if (!WebhookEvents.IsKnown(name))
                return (null, new FieldError("events", "invalid_value", $"Unknown event '{Clip(name)}'; events are: {string.Join(", ", WebhookEvents.All)}"));
            if (!events.Contains(name)) events.Add(name);
        }
        return events.Count == 0 ? (null, new FieldError("events", "required", "Field 'events' must name at least one event")) : ([.. events], null);
    }

    /// <summary><c>headers</c>: an object of string values, at most 20, none that Seismo sets itself.</summary>
    private static (Dictionary<string, string>? Headers, FieldError? Error) ReadHeaders(JsonElement root)
    {
        if (!root.TryGetProperty("headers", out var value) || value.ValueKind == JsonValueKind.Null) return (null, null);
        if (value.ValueKind != JsonValueKind.Object) return (null, new FieldError("headers", "invalid_type", "Field 'headers' must be an object of header names to string values"));
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in value.EnumerateObject())
        {
            if (header.Value.ValueKind != JsonValueKind.String)
                return (null, new FieldError("headers", "invalid_type", $"Header '{Clip(header.Name)}' must have a string value"));
            if (WebhookRules.CheckHeader(header.Name, header.Value.GetString()!) is { } v) return (null, new FieldError("headers", v.Reason, v.Message));
            if (!headers.TryAdd(header.Name, header.Value.GetString()!))
                return (null, new FieldError("headers", "duplicate", $"Header '{Clip(header.Name)}' is given twice"));
            if (headers.Count > WebhookRules.MaxHeaders)
                return (null, new FieldError("headers", "too_many", $"Field 'headers' may hold at most {WebhookRules.MaxHeaders} headers"));
        }
        // Stored with the default comparer: names were checked for case-insensitive duplicates above.
        return (new Dictionary<string, string>(headers), null);
    }

    private static async Task<(JsonElement Root, FieldError? Error)> ReadBodyAsync(HttpRequest request, long maxBytes = 64 * 1024)
    {
        if (request.ContentLength > maxBytes) return (default, new FieldError("body", "too_large", $"The request body is over {maxBytes} bytes"));
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 32 }, request.HttpContext.RequestAborted);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (default, new FieldError("body", "invalid_type", "The request body must be a JSON object"));
            return (doc.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, new FieldError("body", "invalid_json", $"The request body is not valid JSON: {e.Message}"));
        }
    }

    private static string Clip(string s) => s.Length > 60 ? s[..60] + "…" : s;
}
