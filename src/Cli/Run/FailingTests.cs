using Seismo.Domain;
using Seismo.Domain.Identity;
using Seismo.Domain.Junit;
using Seismo.Domain.Results;

namespace Seismo.Cli.Run;

/// <summary>A test that failed in this run, with the key hash Seismo's test id is made of.</summary>
public sealed record FailingTest(string Title, string KeyHashHex);

/// <summary>
/// The tests a run's JUnit reports say failed, identified by the server's own key function
/// (<see cref="TestKeys.FromJunit"/>). A test reported more than once (reruns) failed only when none of its attempts
/// passed, as the server folds them.
/// </summary>
public static class FailingTests
{
    /// <summary>The failing tests, or the reason they cannot be known (an unreadable report).</summary>
    public static (IReadOnlyList<FailingTest> Failing, string? Error) Read(IEnumerable<(string Name, byte[] Content)> reports)
    {
        var outcomes = new Dictionary<string, (string Title, bool Passed, bool Failed)>(StringComparer.Ordinal);
        foreach (var (name, content) in reports)
        {
            if (!name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)) continue;
            try
            {
                foreach (var c in JunitParser.Read(new MemoryStream(content, writable: false), name))
                {
                    var hash = TestKeys.FromJunit(c.ClassName, c.Name).HashHex();
                    var (title, passed, failed) = outcomes.GetValueOrDefault(hash, (Title(c), false, false));
                    outcomes[hash] = (title, passed || c.Outcome is TestOutcome.Passed or TestOutcome.Flaky,
                        failed || c.Outcome is TestOutcome.Failed or TestOutcome.Error);
                }
            }
            catch (ReportFormatException e) when (e.IsOtherFormat)
            {
                // Not JUnit (another XML report): it has no tests to judge.
            }
            catch (ReportFormatException e)
            {
                return ([], e.Message);
            }
        }
        return ([.. outcomes.Where(o => o.Value.Failed && !o.Value.Passed).Select(o => new FailingTest(o.Value.Title, o.Key))], null);
    }

    private static string Title(JunitTestCase c) => string.IsNullOrEmpty(c.ClassName) ? c.Name : $"{c.ClassName} › {c.Name}";
}
