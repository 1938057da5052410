using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Seismo.Api.Auth;
using Seismo.Grains;

namespace Seismo.Api.Live;

/// <summary>
/// SignalR hub at <c>/hubs/live</c> (permission view; key as <c>access_token</c> or a header). Clients subscribe per
/// project and receive runCompleted, runFailed, testStatusChanged, testQuarantined, testUnquarantined, uploadProgress;
/// notification reaches every connection of the key's account (or project, for a project key).
/// </summary>
[Authorize(Policy = Policies.View)]
public sealed class LiveHub(IGrainFactory grains) : Hub
{
    public const string Path = "/hubs/live";

    public override async Task OnConnectedAsync()
    {
        var caller = SeismoCaller.From(Context.User!);
        await Groups.AddToGroupAsync(Context.ConnectionId, NotificationGroup(caller.AccountId, caller.ProjectId));
        await base.OnConnectedAsync();
    }

    /// <summary>Starts this connection's events of a project; with <paramref name="afterSequence"/>, first replays what it missed.</summary>
    public async Task SubscribeProject(string projectId, long? afterSequence = null)
    {
        var project = await AuthorizeAsync(projectId);
        await Groups.AddToGroupAsync(Context.ConnectionId, ProjectGroup(project));
        if (afterSequence is not { } after) return;
        var replay = await grains.GetGrain<IProjectGrain>(project).GetEventsAfterAsync(after);
        if (replay.Truncated) await Clients.Caller.SendAsync("replayTruncated", new { projectId = project, requestedAfter = after, replay.LastSequence });
        foreach (var e in replay.Events) await Clients.Caller.SendAsync(LiveHubRelay.MethodOf(e.Type), LiveHubRelay.Message(e));
    }

    public Task UnsubscribeProject(string projectId) =>
        Guid.TryParse(projectId, out var project) ? Groups.RemoveFromGroupAsync(Context.ConnectionId, ProjectGroup(project)) : Task.CompletedTask;

    private async Task<Guid> AuthorizeAsync(string projectId)
    {
        // One message for unknown and unreachable projects: a key learns nothing about other tenants.
        if (!Guid.TryParse(projectId, out var project)) throw new HubException($"Project '{projectId}' was not found");
        var (_, denied) = await ProjectAccess.ResolveAsync(grains, SeismoCaller.From(Context.User!), project, Permission.View);
        if (denied is not null) throw new HubException($"Project '{projectId}' was not found");
        return project;
    }

    public static string ProjectGroup(Guid projectId) => $"project:{projectId:N}";

    public static string NotificationGroup(Guid accountId, Guid? projectId) =>
        projectId is { } p ? $"notify:{accountId:N}:{p:N}" : $"notify:{accountId:N}";
}
