namespace Seismo.Grains.Storage;

/// <summary>
/// A grain's state written behind: <see cref="Soon"/> asks for one save within the delay, however many changes come
/// meanwhile; <see cref="NowAsync"/> saves at once and takes a pending save with it; <see cref="PendingAsync"/> saves only
/// if one is pending (on deactivation); <see cref="Cancel"/> drops it (the state is being cleared). A failed write leaves
/// memory ahead of the store, so the grain is deactivated and its next activation starts over from the store.
/// </summary>
public sealed class WriteBehind<T>(IGrainBase grain, IPersistentState<T> state, TimeSpan delay)
{
    private IGrainTimer? _pending;

    public void Soon() =>
        _pending ??= grain.RegisterGrainTimer(_ => NowAsync(), new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));

    public Task PendingAsync() => _pending is null ? Task.CompletedTask : NowAsync();

    public void Cancel()
    {
        _pending?.Dispose();
        _pending = null;
    }

    public async Task NowAsync()
    {
        Cancel();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
