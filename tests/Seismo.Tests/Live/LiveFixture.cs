using Seismo.Tests.Support;

namespace Seismo.Tests.Live;

/// <summary>Seismo on a real Kestrel port, with a short heartbeat and a small replay buffer so both are testable.</summary>
public sealed class LiveFixture : IAsyncLifetime
{
    public const int ReplayCapacity = 8;

    public SeismoFactory Seismo { get; } = new(settings: new Dictionary<string, string>
    {
        ["Seismo:Live:Heartbeat"] = "00:00:00.300",
        ["Seismo:LiveReplayCapacity"] = ReplayCapacity.ToString(),
    });

    public Uri BaseAddress { get; private set; } = null!;

    public Task InitializeAsync()
    {
        BaseAddress = Seismo.StartKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Seismo.DisposeAsync();
}
