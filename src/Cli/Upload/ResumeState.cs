using System.Security.Cryptography;
using System.Text;
using Seismo.Cli.Hosting;

namespace Seismo.Cli.Upload;

/// <summary>
/// Remembers the session of a chunked upload until it completes, keyed by the zip's SHA-256 and its destination,
/// so running the same command again after an interruption continues that session instead of starting over.
/// Kept in SEISMO_STATE_DIR, else $XDG_STATE_HOME/seismo, else ~/.local/state/seismo.
/// </summary>
public sealed class ResumeState(string file)
{
    public static ResumeState For(CliHost host, string zipPath, string env, string project, string build)
    {
        var dir = host.Variable("SEISMO_STATE_DIR")
            ?? (host.Variable("XDG_STATE_HOME") is { } xdg ? Path.Combine(xdg, "seismo")
            : Path.Combine(host.Variable("HOME") ?? Path.GetTempPath(), ".local", "state", "seismo"));
        using var stream = File.OpenRead(zipPath);
        var content = Convert.ToHexStringLower(SHA256.HashData(stream));
        var destination = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{env}\n{project}\n{build}")))[..16];
        return new ResumeState(Path.Combine(dir, "uploads", $"{content}-{destination}.session"));
    }

    public string? SessionId => File.Exists(file) ? File.ReadAllText(file).Trim() is { Length: > 0 } id ? id : null : null;

    public void Save(string sessionId)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, sessionId);
    }

    public void Clear() => File.Delete(file);
}
