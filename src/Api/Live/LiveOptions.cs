namespace Seismo.Api.Live;

/// <summary>The "Seismo:Live" section.</summary>
public sealed class LiveOptions
{
    public const string Section = "Seismo:Live";

    /// <summary>A comment line is sent on a quiet stream this often, so proxies keep it open.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long an event that arrived ahead of a gap in its project's sequence is held before the gap is read from
    /// the project's replay buffer (or skipped).
    /// </summary>
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
