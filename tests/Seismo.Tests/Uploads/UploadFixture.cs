using Seismo.Tests.Support;

namespace Seismo.Tests.Uploads;

/// <summary>
/// Seismo on a real Kestrel port with an Allure command that does not exist, so every report ends failed at once
/// and sessions reach <c>done</c> deterministically (the report tests use the real CLI).
/// </summary>
public sealed class UploadFixture : IAsyncLifetime
{
    public const string MissingAllure = "/nonexistent/seismo-test/allure";

    public SeismoFactory Seismo { get; } = new(settings: new Dictionary<string, string>
    {
        ["Seismo:Allure:Command"] = MissingAllure,
        ["Seismo:Uploads:MaxUploadBytes"] = (64 * 1024 * 1024).ToString(),
    });

    public Uri BaseAddress { get; private set; } = null!;

    public Task InitializeAsync()
    {
        BaseAddress = Seismo.StartKestrel();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Seismo.DisposeAsync();
}
