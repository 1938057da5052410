using System.ComponentModel;
using System.Diagnostics;
using Seismo.Cli.Hosting;

namespace Seismo.Cli.Run;

/// <summary>What the wrapped command did: its exit code (127 when it could not start), how long it took, what it printed.</summary>
public sealed record ChildResult(int ExitCode, TimeSpan Duration, DateTimeOffset StartedAt, string Output, string? StartError);

/// <summary>
/// Runs the wrapped command with the CLI's environment, passing its stdout and stderr through as they come while
/// keeping a copy. Stdin is inherited, so interactive prompts still work locally.
/// </summary>
public static class ChildProcess
{
    /// <summary>The shell's "command not found" code.</summary>
    public const int NotStarted = 127;

    public static async Task<ChildResult> RunAsync(IReadOnlyList<string> command, CliHost host, CliConsole console, OutputCapture capture,
        CancellationToken ct)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = host.WorkingDirectory,
        };
        foreach (var arg in command.Skip(1)) info.ArgumentList.Add(arg);
        info.Environment.Clear();
        foreach (var (name, value) in host.Environment) info.Environment[name] = value;

        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            var message = $"seismo: could not start '{command[0]}': {e.Message}\n";
            console.Passthrough(message, toError: true);
            capture.Append(message);
            return new ChildResult(NotStarted, clock.Elapsed, startedAt, capture.Text(), e.Message);
        }

        // Ctrl+C reaches the child through the terminal too; this covers cancellation that does not (CI timeouts).
        await using var kill = ct.Register(() =>
        {
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
        });
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput, toError: false, console, capture),
            PumpAsync(process.StandardError, toError: true, console, capture));
        await process.WaitForExitAsync(CancellationToken.None);
        await pumps;
        clock.Stop();
        return new ChildResult(process.ExitCode, clock.Elapsed, startedAt, capture.Text(), null);
    }

    private static async Task PumpAsync(StreamReader reader, bool toError, CliConsole console, OutputCapture capture)
    {
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            var text = new string(buffer, 0, read);
            console.Passthrough(text, toError);
            capture.Append(text);
        }
    }
}
