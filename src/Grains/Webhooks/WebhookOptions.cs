namespace Seismo.Grains.Webhooks;

/// <summary>The "Seismo:Webhooks" configuration section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Seismo:Webhooks";

    /// <summary>Lets webhooks reach loopback, private, link-local and metadata addresses (tests, on-premises receivers).</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Attempts per delivery, the first included.</summary>
    public int MaxAttempts { get; set; } = 7;

    /// <summary>The delay after the first failed attempt; each following one doubles (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Cap on one delay, including one a receiver asks for with Retry-After.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one attempt may take, connection included.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the outbox is scanned when nothing signalled new work.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Webhooks delivered to at the same time (each one's deliveries go one at a time, in order).</summary>
    public int MaxConcurrentWebhooks { get; set; } = 16;

    /// <summary>Webhooks one project may have.</summary>
    public int MaxWebhooksPerProject { get; set; } = 20;
}
