namespace Seismo.Domain.Results;

/// <summary>The outcome of one test in one run, after its retries within that run.</summary>
public enum TestOutcome : byte
{
    Passed = 0,
    Failed = 1,
    Skipped = 2,
    /// <summary>An error outside the assertion (JUnit &lt;error&gt;, Allure "broken").</summary>
    Error = 3,
    /// <summary>Failed at least once and then passed within the same run.</summary>
    Flaky = 4,
}
