using Seismo.Domain.Results;

namespace Seismo.Domain.Junit;

/// <summary>
/// One &lt;testcase&gt; of a JUnit report, with its reruns folded in. All strings come from an untrusted upload:
/// they are capped by <see cref="JunitLimits"/> but must never be used as paths or rendered as HTML.
/// </summary>
public sealed class JunitTestCase
{
    /// <summary>Names of the enclosing &lt;testsuite&gt; elements, outermost first (suites without a name are skipped).</summary>
    public required IReadOnlyList<string> SuitePath { get; init; }

    /// <summary>The classname attribute, "" when absent.</summary>
    public required string ClassName { get; init; }

    public required string Name { get; init; }

    /// <summary>The testcase file attribute, else that of the nearest enclosing testsuite.</summary>
    public string? File { get; init; }

    public int? Line { get; init; }

    /// <summary>From the time attribute (seconds); null when absent or unreadable.</summary>
    public double? DurationMs { get; init; }

    public required TestOutcome Outcome { get; init; }

    /// <summary>1 + the number of Surefire/Gradle reruns (flakyFailure, flakyError, rerunFailure, rerunError).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Message of the first failure/error (or of the skip, or of the first flaky run when the test is flaky).</summary>
    public string? Message { get; init; }

    /// <summary>The type attribute of the first failure/error (or first flaky run).</summary>
    public string? FailureType { get; init; }

    /// <summary>Bodies of the failure/error elements (stack traces), joined, or the first flaky run's stack trace.</summary>
    public string? Details { get; init; }

    public string? SystemOut { get; init; }

    public string? SystemErr { get; init; }

    /// <summary>Testcase-level &lt;properties&gt; (suite-level properties are not included).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];
}
