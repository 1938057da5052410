using System.Collections;

namespace Seismo.Cli.Hosting;

/// <summary>
/// What the CLI reads from and writes to: its streams, environment and working directory. The process supplies the real
/// ones; tests run the same code against their own. <see cref="IsTerminal"/> selects tables and progress bars over plain lines.
/// </summary>
public sealed record CliHost(
    TextWriter Out,
    TextWriter Error,
    IReadOnlyDictionary<string, string> Environment,
    bool IsTerminal,
    string WorkingDirectory)
{
    public static CliHost FromProcess()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
            environment[(string)e.Key] = (string?)e.Value ?? "";
        // CI logs are files or pipes; a dumb terminal cannot redraw progress bars either.
        var terminal = !Console.IsOutputRedirected && environment.GetValueOrDefault("TERM") != "dumb";
        return new CliHost(Console.Out, Console.Error, environment, terminal, System.Environment.CurrentDirectory);
    }

    public string? Variable(string name) =>
        Environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
