namespace Seismo.Grains.Storage;

/// <summary>Where uploaded artifacts live: <c>&lt;dataDir&gt;/artifacts/&lt;project&gt;/&lt;run&gt;/</c>; run and project deletion remove them.</summary>
public static class ArtifactPaths
{
    public static string Root(string dataDir) => Path.Combine(Path.GetFullPath(dataDir), "artifacts");

    public static string Project(string dataDir, Guid projectId) => Path.Combine(Root(dataDir), projectId.ToString("N"));

    public static string Run(string dataDir, Guid projectId, Guid runGuid) => Path.Combine(Project(dataDir, projectId), runGuid.ToString("N"));

    /// <summary>Deletes a directory and what it holds, if it exists.</summary>
    public static void Delete(string directory)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}
