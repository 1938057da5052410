using System.IO.Compression;

namespace Seismo.Cli.Upload;

/// <summary>
/// A folder of reports as a zip. Entries are sorted and keep their files' times, so zipping the same unchanged folder
/// again gives the same bytes, which is what lets an interrupted upload resume.
/// </summary>
public static class ReportZip
{
    public static string Create(string folder, string tempDirectory)
    {
        var zip = Path.Combine(tempDirectory, $"seismo-upload-{Guid.NewGuid():N}.zip");
        using var stream = new FileStream(zip, FileMode.CreateNew, FileAccess.Write);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create);
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(folder, "*", options).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(folder, file).Replace('\\', '/');
            var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = File.GetLastWriteTime(file);
            using var source = File.OpenRead(file);
            using var target = entry.Open();
            source.CopyTo(target);
        }
        return zip;
    }
}
