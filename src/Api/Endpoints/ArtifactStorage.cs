using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Seismo.Domain.Reporting;
using Seismo.Grains.Hosting;

namespace Seismo.Api.Endpoints;

/// <summary>
/// Where artifacts live (<c>&lt;dataDir&gt;/artifacts/&lt;project&gt;/&lt;run&gt;/&lt;artifact id&gt;.&lt;ext&gt;</c>) and the key
/// their links are signed with: <c>Seismo:Artifacts:SigningKey</c> (base64, the same on every API node), else one
/// generated on first start and kept in <c>&lt;dataDir&gt;/artifact-signing.key</c>.
/// </summary>
public sealed class ArtifactStorage
{
    public ArtifactStorage(IOptions<SeismoOptions> options, IConfiguration configuration)
    {
        var dataDir = Path.GetFullPath(options.Value.DataDir);
        Root = Path.Combine(dataDir, "artifacts");
        Directory.CreateDirectory(Root);
        UrlLifetime = configuration.GetValue<TimeSpan?>("Seismo:Artifacts:UrlLifetime") ?? TimeSpan.FromHours(1);
        var configured = configuration["Seismo:Artifacts:SigningKey"];
        Signer = new ArtifactUrlSigner(configured is { Length: > 0 } ? Convert.FromBase64String(configured) : LocalKey(dataDir));
    }

    public string Root { get; }

    public TimeSpan UrlLifetime { get; }

    public ArtifactUrlSigner Signer { get; }

    public string RunDirectory(Guid projectId, Guid runGuid) => Path.Combine(Root, projectId.ToString("N"), runGuid.ToString("N"));

    public string ProjectDirectory(Guid projectId) => Path.Combine(Root, projectId.ToString("N"));

    public string TempPath() => Path.Combine(Directory.CreateDirectory(Path.Combine(Root, "tmp")).FullName, Guid.NewGuid().ToString("N"));

    /// <summary>Removes a run's artifacts (run deletion).</summary>
    public void DeleteRun(Guid projectId, Guid runGuid)
    {
        var dir = RunDirectory(projectId, runGuid);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

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
