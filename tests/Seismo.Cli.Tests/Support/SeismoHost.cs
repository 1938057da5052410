using Seismo.Tests.Support;

namespace Seismo.Cli.Tests.Support;

/// <summary>One real Seismo on a loopback port for a test class; each test makes its own project.</summary>
public sealed class SeismoHost : IAsyncLifetime
{
    public SeismoFactory Factory { get; } = new();
    public Uri Url { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Url = Factory.StartKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}
