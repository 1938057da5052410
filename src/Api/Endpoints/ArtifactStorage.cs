using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Seismo.Domain.Reporting;
using Seismo.Grains.Hosting;
using Seismo.Grains.Storage;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Where artifacts live (<see cref="ArtifactPaths"/>, one file per artifact named by its id) and the key
/// their links are signed with: <c>Seismo:Artifacts:SigningKey</c> (base64, the same on every API node), else one
/// generated on first start and kept in <c>&lt;dataDir&gt;/artifact-signing.key</c>.
/// </summary>
public sealed class ArtifactStorage
{
    public ArtifactStorage(IOptions<SeismoOptions> options, IConfiguration configuration)
    {
        _dataDir = Path.GetFullPath(options.Value.DataDir);
        var dataDir = _dataDir;
        Root = ArtifactPaths.Root(dataDir);
        Directory.CreateDirectory(Root);
        UrlLifetime = configuration.GetValue<TimeSpan?>("Seismo:Artifacts:UrlLifetime") ?? TimeSpan.FromHours(1);
        var configured = configuration["Seismo:Artifacts:SigningKey"];
        Signer = new ArtifactUrlSigner(configured is { Length: > 0 } ? Convert.FromBase64String(configured) : LocalKey(dataDir));
    }

    private readonly string _dataDir;

    public string Root { get; }

    public TimeSpan UrlLifetime { get; }

    public ArtifactUrlSigner Signer { get; }

    public string RunDirectory(Guid projectId, Guid runGuid) => ArtifactPaths.Run(_dataDir, projectId, runGuid);

    public string TempPath() => Path.Combine(Directory.CreateDirectory(Path.Combine(Root, "tmp")).FullName, Guid.NewGuid().ToString("N"));

    private static byte[] LocalKey(string dataDir)
    {
        var path = Path.Combine(dataDir, "artifact-signing.key");
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path).Trim());
        var key = RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var writer = new StreamWriter(path, options);
            writer.Write(Convert.ToBase64String(key));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another node of the same data directory wrote it first.
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        return key;
    }
}
