using Seismo.Domain.Reporting;

namespace Seismo.Grains.Reporting;

/// <summary>
/// A key's token bucket for one endpoint group. Held in memory only: losing it (a restart) refills the bucket,
/// which errs on the side of the client. A changed limit starts a new, full bucket.
/// </summary>
public sealed class RateLimitGrain(TimeProvider clock) : Grain, IRateLimitGrain
{
    private TokenBucket? _bucket;

    public Task<RateDecision> TakeAsync(int limit, TimeSpan window)
    {
        if (_bucket is null || _bucket.Limit != limit || _bucket.Window != window) _bucket = new TokenBucket(limit, window);
        var d = _bucket.TryTake(clock.GetUtcNow());
        return Task.FromResult(new RateDecision(d.Allowed, limit, d.Remaining, Seconds(d.RetryAfter), Seconds(d.ResetAfter)));
    }

    private static int Seconds(TimeSpan t) => (int)Math.Ceiling(t.TotalSeconds);
}
