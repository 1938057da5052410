using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Seismo.Domain.Uploads;
using Seismo.Grains.Hosting;

namespace Seismo.Grains.Uploads;

[GenerateSerializer]
public sealed record StoredChunk([property: Id(0)] long Size, [property: Id(1)] string Sha256, [property: Id(2)] string Path);

[GenerateSerializer]
public sealed class UploadSessionState
{
    [Id(0)] public UploadSession? Session { get; set; }
    [Id(1)] public Guid AccountId { get; set; }
    [Id(2)] public Guid ProjectId { get; set; }
    [Id(3)] public Dictionary<int, StoredChunk> Chunks { get; set; } = [];
}

/// <summary>One upload session: its record, its chunk ledger and its expiry. Each change is published live.</summary>
public sealed class UploadSessionGrain(
    [PersistentState("upload", SeismoSiloHosting.StorageName)] IPersistentState<UploadSessionState> state,
    IOptions<SeismoOptions> seismo,
    IOptions<UploadOptions> options,
    TimeProvider clock,
    ILogger<UploadSessionGrain> logger) : Grain, IUploadSessionGrain, IRemindable
{
    private const string ExpiryReminder = "expiry";
    private static readonly TimeSpan MinimumReminderPeriod = TimeSpan.FromMinutes(1);
    private IGrainTimer? _expiryTimer;

    private UploadSession? Session => state.State.Session;
    private string Folder => DataPaths.Upload(seismo.Value.DataDir, this.GetPrimaryKey());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Session is { Phase: UploadPhases.Uploading }) ArmExpiry();
        return Task.CompletedTask;
    }

    public async Task<UploadSession> StartAsync(UploadStart start)
    {
        if (Session is { } existing) return existing;
        var now = clock.GetUtcNow();
        var chunked = start.Strategy == UploadPhases.Chunked;
        state.State.AccountId = start.AccountId;
        state.State.ProjectId = start.ProjectId;
        state.State.Session = new UploadSession(
            this.GetPrimaryKey().ToString("N"), start.EnvId, start.ProjectId.ToString(), start.BuildId, start.FileName, start.Strategy,
            UploadPhases.Uploading, start.TotalSize, 0, start.TotalChunks, [], chunked ? ChunkLedger.Missing(Marks, start.TotalChunks ?? 0) : [],
            0, 0, null, null, now, now, null, now + options.Value.SessionExpiry);
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IUploadIndexGrain>(start.AccountId).AddAsync(this.GetPrimaryKey(), start.ProjectId);
        await PublishAsync();
        ArmExpiry();
        await this.RegisterOrUpdateReminder(ExpiryReminder, options.Value.SessionExpiry, Max(options.Value.SessionExpiry, MinimumReminderPeriod));
        return Session!;
    }

    public Task<UploadSession?> GetAsync() => Task.FromResult(Session);

    public Task<UploadOwner?> GetOwnerAsync() =>
        Task.FromResult(Session is null ? null : new UploadOwner(state.State.AccountId, state.State.ProjectId));

    private Dictionary<int, ChunkMark> Marks => state.State.Chunks.ToDictionary(c => c.Key, c => new ChunkMark(c.Value.Size, c.Value.Sha256));

    public Task<long> ChunkRoomAsync() => Task.FromResult(Session is { Phase: UploadPhases.Uploading, TotalSize: { } total }
        ? ChunkLedger.Room(Marks, total) : -1);

    public async Task<ChunkReceipt> AddChunkAsync(int index, int declaredTotalChunks, long size, string sha256, string path)
    {
        if (Session is not { } session) return new ChunkReceipt(ChunkOutcome.Unknown, null);
        if (session.Phase != UploadPhases.Uploading || session.Strategy != UploadPhases.Chunked) return new ChunkReceipt(ChunkOutcome.NotUploading, session);
        var verdict = ChunkLedger.Judge(Marks, session.TotalSize ?? 0, session.TotalChunks ?? 0, index, declaredTotalChunks, new ChunkMark(size, sha256));
        if (verdict != ChunkVerdict.Accepted) return new ChunkReceipt((ChunkOutcome)verdict, session);
        state.State.Chunks[index] = new StoredChunk(size, sha256, path);
        var marks = Marks;
        var now = clock.GetUtcNow();
        await UpdateAsync(session with
        {
            BytesReceived = ChunkLedger.BytesReceived(marks),
            ReceivedChunks = ChunkLedger.Present(marks),
            MissingChunks = ChunkLedger.Missing(marks, session.TotalChunks ?? 0),
            ExpiresAt = now + options.Value.SessionExpiry,
        });
        return new ChunkReceipt(ChunkOutcome.Accepted, Session);
    }

    public async Task<ChunkAssembly> CompleteAsync()
    {
        if (Session is not { } session) return new ChunkAssembly(null, [], "unknown session", null);
        if (session.Strategy != UploadPhases.Chunked) return new ChunkAssembly(null, [], "only a chunked upload is completed", session);
        if (session.Phase != UploadPhases.Uploading) return new ChunkAssembly(null, [], $"the session is {session.Phase}, not uploading", session);
        var marks = Marks;
        var missing = ChunkLedger.Missing(marks, session.TotalChunks ?? 0);
        if (missing.Length > 0) return new ChunkAssembly(null, missing, null, session);
        if (ChunkLedger.CompletionProblem(marks, session.TotalSize ?? 0, session.TotalChunks ?? 0) is { } problem)
            return new ChunkAssembly(null, [], problem, session);
        await UpdateAsync(session with { Phase = UploadPhases.Assembling, ExpiresAt = null });
        await DisarmExpiryAsync();
        var paths = state.State.Chunks.OrderBy(c => c.Key).Select(c => c.Value.Path).ToArray();
        return new ChunkAssembly(paths, [], null, Session);
    }

    public async Task<UploadSession?> ReportAsync(UploadProgress progress)
    {
        if (Session is not { } session) return null;
        if (UploadPhases.IsFinal(session.Phase) && progress.Report is null) return session;
        var phase = progress.Phase ?? session.Phase;
        var final = UploadPhases.IsFinal(phase);
        await UpdateAsync(session with
        {
            Phase = phase,
            BytesReceived = progress.BytesReceived ?? session.BytesReceived,
            FilesExtracted = progress.FilesExtracted ?? session.FilesExtracted,
            TestsParsed = progress.TestsParsed ?? session.TestsParsed,
            Error = progress.Error ?? session.Error,
            Report = progress.Report ?? session.Report,
            CompletedAt = final ? session.CompletedAt ?? clock.GetUtcNow() : session.CompletedAt,
            ExpiresAt = phase == UploadPhases.Uploading ? clock.GetUtcNow() + options.Value.SessionExpiry : null,
        });
        if (phase != UploadPhases.Uploading) await DisarmExpiryAsync();
        if (final) state.State.Chunks.Clear();
        return Session;
    }

    public async Task<bool> DeleteAsync()
    {
        if (Session is not { } session) return false;
        await DisarmExpiryAsync();
        if (session.Phase == UploadPhases.Uploading)
            await GrainFactory.GetGrain<IBuildsGrain>(state.State.ProjectId).ReleaseAsync(session.BuildId, this.GetPrimaryKey());
        DataPaths.TryDeleteDirectory(Folder);
        await GrainFactory.GetGrain<IUploadIndexGrain>(state.State.AccountId).RemoveAsync(this.GetPrimaryKey());
        await state.ClearStateAsync();
        state.State = new UploadSessionState();
        DeactivateOnIdle();
        return true;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => ExpireIfDueAsync();

    private async Task ExpireIfDueAsync()
    {
        if (Session is not { Phase: UploadPhases.Uploading, ExpiresAt: { } expiresAt } session || clock.GetUtcNow() < expiresAt)
        {
            if (Session is not { Phase: UploadPhases.Uploading }) await DisarmExpiryAsync();
            return;
        }
        logger.LogInformation("Upload {Session} expired with {Received} of {Total} chunks", session.Id, session.ReceivedChunks.Length, session.TotalChunks);
        await GrainFactory.GetGrain<IBuildsGrain>(state.State.ProjectId).ReleaseAsync(session.BuildId, this.GetPrimaryKey());
        DataPaths.TryDeleteDirectory(Folder);
        state.State.Chunks.Clear();
        await UpdateAsync(session with
        {
            Phase = UploadPhases.Failed,
            Error = $"expired: no data for {options.Value.SessionExpiry}; the session's files were removed",
            CompletedAt = clock.GetUtcNow(),
            ExpiresAt = null,
        });
        await DisarmExpiryAsync();
    }

    private async Task UpdateAsync(UploadSession session)
    {
        state.State.Session = session with { UpdatedAt = clock.GetUtcNow() };
        await state.WriteStateAsync();
        await PublishAsync();
        if (session.Phase == UploadPhases.Uploading) ArmExpiry();
    }

    private Task PublishAsync() =>
        GrainFactory.GetGrain<IProjectGrain>(state.State.ProjectId).PublishAsync(EventTypes.UploadProgress, [UploadJson.Of(Session!)]);

    // While active a timer catches the expiry on time; the reminder catches it after a deactivation or restart.
    private void ArmExpiry()
    {
        if (Session?.ExpiresAt is not { } expiresAt) return;
        _expiryTimer?.Dispose();
        var due = Max(expiresAt - clock.GetUtcNow(), TimeSpan.Zero) + TimeSpan.FromMilliseconds(50);
        _expiryTimer = this.RegisterGrainTimer(_ => ExpireIfDueAsync(), new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = false });
    }

    private async Task DisarmExpiryAsync()
    {
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        try
        {
            if (await this.GetReminder(ExpiryReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug(e, "Upload {Session}: expiry reminder not removed", this.GetPrimaryKey());
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
