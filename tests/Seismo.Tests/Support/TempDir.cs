using System.Diagnostics;

namespace Seismo.Tests.Support;

/// <summary>
/// Temporary folders for one test process. They all live under one root that is removed when the process exits, so
/// a test run leaves nothing behind; a root left by a process that died is removed by the next test process.
/// </summary>
public static class TempDir
{
    private const string RootPrefix = "seismo-tests-";
    private static readonly Lazy<string> Root = new(CreateRoot);

    public static string Create(string prefix)
    {
        var path = Path.Combine(Root.Value, $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string CreateRoot()
    {
        RemoveAbandonedRoots();
        var root = Path.Combine(Path.GetTempPath(), RootPrefix + Environment.ProcessId);
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
        return root;
    }

    private static void RemoveAbandonedRoots()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), RootPrefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(dir).AsSpan(RootPrefix.Length), out var pid) && !IsRunning(pid)) TryDelete(dir);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // Best effort: a child process that has not let go of a file yet must not fail the run.
    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
