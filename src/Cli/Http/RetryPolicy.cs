using System.Net;
using System.Net.Http.Headers;

namespace Seismo.Cli.Http;

/// <summary>
/// When to try a request again. 429 and 503 (and 502, 504, network errors) are transient; a <c>Retry-After</c> the
/// server sends is honoured as given (seconds or a date), otherwise the wait doubles from <see cref="BaseDelay"/> up to
/// <see cref="MaxDelay"/>, with ±20% jitter so a fleet of CI jobs does not retry in step. A wait longer than
/// <see cref="MaxWait"/> is not worth holding a CI job for: the caller gives up and says why.
/// </summary>
public sealed record RetryPolicy
{
    public int MaxAttempts { get; init; } = 6;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(2);

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1, after attempt <paramref name="attempt"/> (1-based) failed.</summary>
    public TimeSpan Backoff(int attempt, double jitter01)
    {
        var doubled = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = Math.Min(doubled, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.8 + 0.4 * jitter01));
    }

    /// <summary>The server's Retry-After as a wait from <paramref name="now"/>, or null when it sent none.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>What to do after a failed attempt: wait this long, or give up (with the reason).</summary>
    public RetryDecision Decide(int attempt, TimeSpan? retryAfter, double jitter01)
    {
        if (attempt >= MaxAttempts) return RetryDecision.GiveUp($"gave up after {attempt} attempts");
        var wait = retryAfter ?? Backoff(attempt, jitter01);
        if (wait > MaxWait)
        {
            var asked = retryAfter is null ? $"the next retry would be in {Seconds(wait)}" : $"the server asks to retry in {Seconds(wait)}";
            return RetryDecision.GiveUp($"{asked}, longer than the {Seconds(MaxWait)} this command waits (--retry-max-wait)");
        }
        return new RetryDecision(wait, null);
    }

    public static string Seconds(TimeSpan t) => $"{Math.Ceiling(t.TotalSeconds):0} s";
}

public sealed record RetryDecision(TimeSpan Wait, string? GiveUpReason)
{
    public bool Retry => GiveUpReason is null;

    public static RetryDecision GiveUp(string reason) => new(TimeSpan.Zero, reason);
}
