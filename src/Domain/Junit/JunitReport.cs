namespace Seismo.Domain.Junit;

/// <summary>A whole JUnit report read into memory (see <see cref="JunitParser.ReadAll"/>).</summary>
public sealed record JunitReport(IReadOnlyList<JunitTestCase> TestCases, JunitDeclaredTotals Declared);

/// <summary>
/// The counts a report claims about itself. Producers disagree with their own content often enough
/// (reruns, hidden skips) that these are for cross-checking only; the test cases are the truth.
/// </summary>
public sealed record JunitDeclaredTotals(int? Tests, int? Failures, int? Errors, int? Skipped);
