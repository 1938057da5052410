using Seismo.Cli.Hosting;
using Seismo.Tests.Support;

namespace Seismo.Cli.Tests.Support;

/// <summary>
/// Runs the seismo command line in process, against a Seismo on loopback, in a working directory of its own.
/// Not a terminal unless asked, as in CI; the environment is only what the test gives (plus PATH and HOME).
/// </summary>
public sealed class CliRunner
{
    public CliRunner(Uri url, string token, IReadOnlyDictionary<string, string>? environment = null, bool terminal = false)
    {
        WorkingDirectory = TempDir.Create("seismo-cli");
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = WorkingDirectory,
            ["SEISMO_URL"] = url.ToString(),
            ["SEISMO_TOKEN"] = token,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) env[name] = value;
        Environment = env;
        Terminal = terminal;
    }

    public string WorkingDirectory { get; }
    public Dictionary<string, string> Environment { get; }
    public bool Terminal { get; }
    public CapturedWriter Out { get; } = new();
    public CapturedWriter Error { get; } = new();

    /// <summary>Everything written, stdout then stderr.</summary>
    public string AllText => Out.Text + Error.Text;

    public Task<int> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public Task<int> RunAsync(CancellationToken ct, params string[] args) =>
        SeismoCli.RunAsync(args, new CliHost(Out, Error, Environment, Terminal, WorkingDirectory), ct);

    public string PathOf(string relative) => Path.Combine(WorkingDirectory, relative);
}

/// <summary>JUnit XML for the wrapped commands to write.</summary>
public static class Junit
{
    public static string Report(params (string ClassName, string Name, string Outcome)[] cases)
    {
        var body = string.Concat(cases.Select(c => c.Outcome switch
        {
            "failed" => $"<testcase classname=\"{c.ClassName}\" name=\"{c.Name}\" time=\"0.01\"><failure message=\"boom\">stack</failure></testcase>",
            "flaky" => $"<testcase classname=\"{c.ClassName}\" name=\"{c.Name}\" time=\"0.01\"><flakyFailure message=\"once\">stack</flakyFailure></testcase>",
            "skipped" => $"<testcase classname=\"{c.ClassName}\" name=\"{c.Name}\"><skipped/></testcase>",
            _ => $"<testcase classname=\"{c.ClassName}\" name=\"{c.Name}\" time=\"0.01\"/>",
        }));
        return $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"suite\" tests=\"{cases.Length}\">{body}</testsuite>\n";
    }

    /// <summary>A shell command that writes <paramref name="xml"/> to <paramref name="path"/>, prints a line and exits with <paramref name="exitCode"/>.</summary>
    public static string[] Command(string path, string xml, int exitCode, string extra = "") =>
        ["sh", "-c", $"mkdir -p \"$(dirname '{path}')\" && cat > '{path}' <<'XML'\n{xml}XML\necho 'tests ran'\n{extra}\nexit {exitCode}"];
}
