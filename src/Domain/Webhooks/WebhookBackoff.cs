namespace Seismo.Domain.Webhooks;

/// <summary>
/// The delay before a webhook delivery's next attempt: exponential (base, 2×base, 4×base, …, capped) with ±20%
/// jitter so receivers that failed together are not retried together. With a one-minute base and seven attempts
/// the retries come after about 1, 2, 4, 8, 16 and 32 minutes: the last one about an hour after the first.
/// </summary>
public static class WebhookBackoff
{
    public const double Jitter = 0.2;

    /// <param name="attemptsMade">Attempts already made (1 after the first failure).</param>
    /// <param name="unit">A number in [0, 1) that picks the jitter (Random.Shared.NextDouble() in production).</param>
    public static TimeSpan Delay(int attemptsMade, TimeSpan baseDelay, TimeSpan maxDelay, double unit)
    {
        var exponent = Math.Clamp(attemptsMade - 1, 0, 30);
        var nominal = Math.Min(baseDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        var factor = 1 + Jitter * (2 * Math.Clamp(unit, 0, 1) - 1);
        return TimeSpan.FromMilliseconds(Math.Max(0, nominal * factor));
    }

    /// <summary>The nominal (unjittered) time from the first attempt to the last, for documentation and tests.</summary>
    public static TimeSpan NominalSpan(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var total = TimeSpan.Zero;
        for (var made = 1; made < maxAttempts; made++) total += Delay(made, baseDelay, maxDelay, 0.5);
        return total;
    }
}
