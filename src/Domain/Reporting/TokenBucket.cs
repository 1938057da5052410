namespace Seismo.Domain.Reporting;

/// <summary>
/// Token-bucket arithmetic (the model of System.Threading.RateLimiting's TokenBucketRateLimiter, replenished
/// continuously): up to <see cref="Limit"/> requests at once, refilled at <see cref="Limit"/> per <see cref="Window"/>.
/// Pure: the caller owns the clock and the one instance per key and endpoint group.
/// </summary>
public sealed class TokenBucket(int limit, TimeSpan window)
{
    private double _tokens = limit;
    private DateTimeOffset _updated = DateTimeOffset.MinValue;

    public int Limit { get; } = limit;
    public TimeSpan Window { get; } = window;

    public readonly record struct Decision(bool Allowed, int Remaining, TimeSpan RetryAfter, TimeSpan ResetAfter);

    public Decision TryTake(DateTimeOffset now)
    {
        Refill(now);
        var perToken = Window / Limit;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            return new Decision(true, (int)_tokens, TimeSpan.Zero, perToken * (Limit - _tokens));
        }
        var wait = perToken * (1 - _tokens);
        return new Decision(false, 0, wait, perToken * (Limit - _tokens));
    }

    private void Refill(DateTimeOffset now)
    {
        if (_updated == DateTimeOffset.MinValue) { _updated = now; return; }
        var elapsed = now - _updated;
        if (elapsed <= TimeSpan.Zero) return;
        _tokens = Math.Min(Limit, _tokens + elapsed / Window * Limit);
        _updated = now;
    }
}
