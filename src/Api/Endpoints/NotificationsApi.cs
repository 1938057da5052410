using Microsoft.AspNetCore.Http.HttpResults;
using Seismo.Api.Auth;
using Seismo.Api.Contracts;
using Seismo.Api.Infrastructure;
using Seismo.Grains;

namespace Seismo.Api.Endpoints;

/// <summary>
/// The notification inbox of the report server's contract, one per account. Permission view for every route: the
/// inbox is the reader's own, so marking read and deleting need no more. A project key sees only its project's
/// notifications; an account key sees all of its account's, including account-wide ones. A notification outside
/// the key's reach answers 404 like an unknown one.
/// </summary>
public static class NotificationsApi
{
    /// <summary>How many notifications a list returns when <c>limit</c> is not given.</summary>
    public const int DefaultLimit = 50;

    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("Notifications").RequireAuthorization(Policies.View);
        group.MapGet("/", ListAsync).WithSummary($"Notifications, newest first: unread=true for unread only, limit (default {DefaultLimit}, 0 = no cap)");
        group.MapGet("/unread", UnreadAsync).WithSummary("How many notifications are unread: {count}");
        group.MapPatch("/{id}/read", MarkReadAsync).WithSummary("Mark one notification read (204; 404 for an unknown id)");
        group.MapPost("/read", MarkAllReadAsync).WithSummary("Mark every notification read (204)");
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Delete one notification (204; 404 for an unknown id)");
        return app;
    }

    private static async Task<Results<Ok<NotificationDto[]>, JsonHttpResult<ErrorEnvelope>>> ListAsync(
        HttpContext http, IGrainFactory grains, string? unread, string? limit)
    {
        var invalidLimit = ParseLimit(limit, out var take);
        var invalid = ParseUnread(unread, out var unreadOnly) ?? invalidLimit;
        if (invalid is not null) return ApiError.Validation(invalid);
        var (inbox, scope) = InboxOf(http, grains);
        var items = await inbox.ListAsync(scope, unreadOnly, take);
        return TypedResults.Ok(Array.ConvertAll(items, NotificationDto.From));
    }

    private static async Task<Ok<UnreadCountDto>> UnreadAsync(HttpContext http, IGrainFactory grains)
    {
        var (inbox, scope) = InboxOf(http, grains);
        return TypedResults.Ok(new UnreadCountDto(await inbox.CountUnreadAsync(scope)));
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorEnvelope>>> MarkReadAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var (inbox, scope) = InboxOf(http, grains);
        return Guid.TryParse(id, out var guid) && await inbox.MarkReadAsync(guid, scope)
            ? TypedResults.NoContent()
            : ApiError.NotFound("Notification", id);
    }

    private static async Task<NoContent> MarkAllReadAsync(HttpContext http, IGrainFactory grains)
    {
        var (inbox, scope) = InboxOf(http, grains);
        await inbox.MarkAllReadAsync(scope);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, JsonHttpResult<ErrorEnvelope>>> DeleteAsync(HttpContext http, IGrainFactory grains, string id)
    {
        var (inbox, scope) = InboxOf(http, grains);
        return Guid.TryParse(id, out var guid) && await inbox.DeleteAsync(guid, scope)
            ? TypedResults.NoContent()
            : ApiError.NotFound("Notification", id);
    }

    /// <summary>The caller's account inbox and its scope: the project of a project key, the whole account otherwise.</summary>
    private static (INotificationInboxGrain Inbox, Guid? Scope) InboxOf(HttpContext http, IGrainFactory grains)
    {
        var caller = SeismoCaller.From(http.User);
        return (grains.GetGrain<INotificationInboxGrain>(caller.AccountId), caller.ProjectId);
    }

    internal static FieldError? ParseUnread(string? value, out bool unreadOnly)
    {
        unreadOnly = false;
        if (value is null) return null;
        if (bool.TryParse(value, out unreadOnly)) return null;
        return new FieldError("unread", "invalid_value", "Query parameter 'unread' must be true or false");
    }

    internal static FieldError? ParseLimit(string? value, out int limit)
    {
        limit = DefaultLimit;
        if (value is null) return null;
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit)) return null;
        limit = DefaultLimit;
        return new FieldError("limit", "out_of_range", "Query parameter 'limit' must be a non-negative integer (0 means no cap)");
    }
}
