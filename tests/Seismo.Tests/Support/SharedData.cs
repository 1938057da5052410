namespace Seismo.Tests.Support;

/// <summary>Locates the shared contracts and corpus that sit beside the repository.</summary>
public static class SharedData
{
    public static string Root { get; } = FindRoot();

    public static string Corpus => Path.Combine(Root, "corpus");

    public static string CorpusPath(params string[] parts) => Path.Combine([Corpus, .. parts]);

    private static string FindRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("SEISMO_SHARED_DIR");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv)) return fromEnv;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Seismo.slnx")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
                if (Directory.Exists(shared)) return shared;
            }
        }
        throw new DirectoryNotFoundException("shared/ (contracts and corpus) was not found beside the repository; set SEISMO_SHARED_DIR");
    }
}
