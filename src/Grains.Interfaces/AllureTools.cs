namespace Seismo.Grains;

/// <summary>The Allure CLI one silo's report generator runs: its version, "" when it finds none.</summary>
[GenerateSerializer, Immutable]
public sealed record AllureToolVersion(
    [property: Id(0)] string Silo,
    [property: Id(1)] string Version);

/// <summary>An install on one silo: the version now installed there, or npm's stderr.</summary>
[GenerateSerializer, Immutable]
public sealed record AllureToolInstall(
    [property: Id(0)] string Silo,
    [property: Id(1)] bool Succeeded,
    [property: Id(2)] string Version,
    [property: Id(3)] string Error);

/// <summary>
/// The Allure CLI of one silo, keyed by that silo's address and activated on it (callers pass the address as the
/// placement hint): reports are generated in silos, so the CLI is looked up and installed where they run.
/// </summary>
public interface IAllureToolGrain : IGrainWithStringKey
{
    Task<AllureToolVersion> GetVersionAsync();

    /// <summary><c>npm install</c> of <c>allure@version</c> from <paramref name="registry"/> under this silo's data dir.</summary>
    [ResponseTimeout("00:11:00")]
    Task<AllureToolInstall> InstallAsync(string version, string registry);
}
