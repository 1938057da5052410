namespace Seismo.Grains.Hosting;

/// <summary>
/// Where files live under the data directory. Other parts (disk usage, retention) walk the same folders, so these
/// names are a convention to keep: <c>uploads/{sessionId}/</c>, <c>builds/{projectId:N}/{buildId}/</c>,
/// <c>reports/{envId}/{projectId:N}/{buildId}/</c>, <c>tools/allure/</c>.
/// </summary>
public static class DataPaths
{
    public static string Uploads(string dataDir) => Path.Combine(Path.GetFullPath(dataDir), "uploads");

    public static string Upload(string dataDir, Guid sessionId) => Path.Combine(Uploads(dataDir), sessionId.ToString("N"));

    public static string Builds(string dataDir, Guid projectId) => Path.Combine(Path.GetFullPath(dataDir), "builds", projectId.ToString("N"));

    public static string Build(string dataDir, Guid projectId, string buildId) => Path.Combine(Builds(dataDir, projectId), buildId);

    public static string Reports(string dataDir) => Path.Combine(Path.GetFullPath(dataDir), "reports");

    public static string ProjectReports(string dataDir, string envId, Guid projectId) => Path.Combine(Reports(dataDir), envId, projectId.ToString("N"));

    public static string Report(string dataDir, string envId, Guid projectId, string buildId) => Path.Combine(ProjectReports(dataDir, envId, projectId), buildId);

    /// <summary>The npm prefix Seismo installs the Allure CLI into.</summary>
    public static string AllureTool(string dataDir) => Path.Combine(Path.GetFullPath(dataDir), "tools", "allure");

    /// <summary>The public address of a build's report.</summary>
    public static string ReportUrl(string envId, Guid projectId, string buildId) => $"/reports/{envId}/{projectId:N}/{Uri.EscapeDataString(buildId)}/";

    /// <summary>Deletes a folder and what it holds; a folder already gone is fine.</summary>
    public static void TryDeleteDirectory(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
