namespace Seismo.Grains.Storage;

/// <summary>
/// Raw uploads on disk, one file per run. A file is written under a temporary name, flushed to the device and
/// renamed into place, so a path that exists is always a whole archive.
/// </summary>
public sealed class ArchiveStore(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string ProjectDirectory(Guid projectId) => Path.Combine(Root, projectId.ToString("N"));

    public string PathFor(Guid projectId, Guid runGuid) => Path.Combine(Root, projectId.ToString("N"), runGuid.ToString("N") + ".tar.zst");

    /// <summary>A fresh temporary file in the store's volume (so the final rename never crosses devices).</summary>
    public string NewTemporaryPath()
    {
        var dir = Path.Combine(Root, ".incoming");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, Guid.NewGuid().ToString("N") + ".part");
    }

    /// <summary>Makes a fully written temporary file durable at its final path.</summary>
    public string Commit(string temporaryPath, Guid projectId, Guid runGuid)
    {
        using (var file = new FileStream(temporaryPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            file.Flush(flushToDisk: true);
        return MoveIntoPlace(temporaryPath, projectId, runGuid);
    }

    private string MoveIntoPlace(string temporaryPath, Guid projectId, Guid runGuid)
    {
        var target = PathFor(projectId, runGuid);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(temporaryPath, target, overwrite: true);
        return target;
    }

    /// <summary>Writes an archive held in memory and makes it durable at its final path.</summary>
    public string Commit(ReadOnlySpan<byte> content, Guid projectId, Guid runGuid)
    {
        var temporary = NewTemporaryPath();
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                file.Write(content);
                file.Flush(flushToDisk: true);
            }
            return MoveIntoPlace(temporary, projectId, runGuid);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
