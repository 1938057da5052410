namespace Seismo.Api.Live;

/// <summary>The "Seismo:Live" section.</summary>
public sealed class LiveOptions
{
    public const string Section = "Seismo:Live";

    /// <summary>A comment line is sent on a quiet stream this often, so proxies keep it open.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(15);
}
