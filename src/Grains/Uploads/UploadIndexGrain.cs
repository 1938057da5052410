using Microsoft.Extensions.Options;
using Seismo.Grains.Hosting;

namespace Seismo.Grains.Uploads;

[GenerateSerializer]
public sealed class UploadIndexState
{
    [Id(0)] public List<UploadIndexEntry> Sessions { get; set; } = [];
}

/// <summary>An account's upload sessions, oldest first, capped: listing never scans anything but this list.</summary>
public sealed class UploadIndexGrain(
    [PersistentState("uploads", SeismoSiloHosting.StorageName)] IPersistentState<UploadIndexState> state,
    IOptions<UploadOptions> options) : Grain, IUploadIndexGrain
{
    public async Task AddAsync(Guid sessionId, Guid projectId)
    {
        if (state.State.Sessions.Any(s => s.SessionId == sessionId)) return;
        state.State.Sessions.Add(new UploadIndexEntry(sessionId, projectId));
        var excess = state.State.Sessions.Count - Math.Max(1, options.Value.MaxListedSessions);
        if (excess > 0) state.State.Sessions.RemoveRange(0, excess);
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(Guid sessionId)
    {
        if (state.State.Sessions.RemoveAll(s => s.SessionId == sessionId) > 0) await state.WriteStateAsync();
    }

    public Task<UploadIndexEntry[]> ListAsync() => Task.FromResult(state.State.Sessions.ToArray());
}
