namespace Seismo.Grains.Webhooks;

/// <summary>Wakes the dispatcher when deliveries are queued, so they go out at once rather than at the next poll.</summary>
public sealed class WebhookSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Wake()
    {
        try { _semaphore.Release(); }
        catch (SemaphoreFullException) { } // already signalled
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _semaphore.WaitAsync(timeout, ct);
}
