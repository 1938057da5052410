using System.Security;
using System.Text;
using System.Text.Json;
using Seismo.Domain.Collect;

namespace Seismo.Tests.Support;

/// <summary>One synthetic test case for generated JUnit reports.</summary>
public sealed record SyntheticCase(string ClassName, string Name, string Outcome = "passed", double Seconds = 0.01, int Reruns = 0, string? Message = null);

/// <summary>Builds JUnit reports and collect archives for tests and benchmarks.</summary>
public static class SyntheticReports
{
    public static string Junit(IEnumerable<SyntheticCase> cases, string suite = "suite")
    {
        var list = cases.ToList();
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        sb.Append($"  <testsuite name=\"{Esc(suite)}\" tests=\"{list.Count}\">\n");
        foreach (var c in list)
        {
            sb.Append($"    <testcase classname=\"{Esc(c.ClassName)}\" name=\"{Esc(c.Name)}\" time=\"{c.Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"");
            var body = new StringBuilder();
            for (var r = 0; r < c.Reruns; r++)
                body.Append(c.Outcome == "passed"
                    ? $"<flakyFailure message=\"{Esc(c.Message ?? "flaked")}\" type=\"AssertionError\"/>"
                    : $"<rerunFailure message=\"{Esc(c.Message ?? "failed again")}\" type=\"AssertionError\"/>");
            switch (c.Outcome)
            {
                case "failed": body.Append($"<failure message=\"{Esc(c.Message ?? "expected true")}\" type=\"AssertionError\">at {Esc(c.ClassName)}.{Esc(c.Name)}</failure>"); break;
                case "error": body.Append($"<error message=\"{Esc(c.Message ?? "boom")}\" type=\"RuntimeError\"/>"); break;
                case "skipped": body.Append("<skipped/>"); break;
            }
            sb.Append(body.Length == 0 ? "/>\n" : $">{body}</testcase>\n");
        }
        sb.Append("  </testsuite>\n</testsuites>\n");
        return sb.ToString();
    }

    public static byte[] CommandJson(int returnCode = 0, IReadOnlyDictionary<string, string>? env = null, string[]? tags = null, string user = "github-ci") =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["command"] = new[] { "pytest", "-q" },
            ["user"] = user,
            ["return_code"] = returnCode,
            ["execution_time_ms"] = 4312,
            ["executed"] = "2026-04-15T09:23:41.000Z",
            ["env"] = env ?? new Dictionary<string, string> { ["CI"] = "true" },
            ["tags"] = tags ?? ["ci"],
        });

    /// <summary>A complete collect archive with one JUnit attachment.</summary>
    public static Task<byte[]> ArchiveAsync(IEnumerable<SyntheticCase> cases, int returnCode = 0, IReadOnlyDictionary<string, string>? env = null, string? output = "ok\n") =>
        CollectArchiveWriter.ToBytesAsync(CommandJson(returnCode, env), output is null ? null : Encoding.UTF8.GetBytes(output),
            [new("junit.xml", Encoding.UTF8.GetBytes(Junit(cases)))]);

    private static string Esc(string s) => SecurityElement.Escape(s);
}
