using System.Diagnostics;
using Seismo.Grains.Hosting;
using Seismo.Grains.Uploads;

namespace Seismo.Grains.Reports;

/// <summary>
/// Finds the Allure command-line tool, in this order: the configured <c>Seismo:Allure:Command</c>; the copy Seismo
/// installs under <c>&lt;DataDir&gt;/tools/allure</c> (an npm prefix); <c>allure</c> on the PATH. Looked up on every use,
/// so a newly installed version is used at once.
/// </summary>
public static class AllureCli
{
    public static string? Locate(AllureOptions options, string dataDir)
    {
        if (!string.IsNullOrWhiteSpace(options.Command)) return options.Command;
        var owned = Path.Combine(DataPaths.AllureTool(dataDir), "node_modules", ".bin", OperatingSystem.IsWindows() ? "allure.cmd" : "allure");
        if (File.Exists(owned)) return owned;
        return OnPath(OperatingSystem.IsWindows() ? "allure.cmd" : "allure");
    }

    /// <summary>The installed version (<c>allure --version</c>), or null when there is none or it does not run.</summary>
    public static async Task<string?> VersionAsync(AllureOptions options, string dataDir, CancellationToken ct)
    {
        if (Locate(options, dataDir) is not { } command) return null;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, "--version")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            });
            if (process is null) return null;
            var output = await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return process.ExitCode == 0 && output.Trim() is { Length: > 0 } v ? v : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    private static string? OnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
