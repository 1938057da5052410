using Seismo.Domain.Junit;
using Seismo.Domain.Results;
using Seismo.Grains;

namespace Seismo.Api.Ingest;

/// <summary>
/// Collects one run's results, one per test key. A test reported more than once in a run (pytest-rerunfailures
/// and similar write one testcase per attempt) becomes one result whose attempts add up: passed and failed
/// attempts together make it flaky.
/// </summary>
public sealed class ResultFolder(JunitKeyCache keys)
{
    private const int MaxStackChars = 8192;

    private readonly List<TestResult> _results = [];
    private readonly Dictionary<string, int> _byKey = new(StringComparer.Ordinal);

    public ResultFolder() : this(JunitKeyCache.Shared) { }

    public IReadOnlyList<TestResult> Results => _results;

    public void AddJunit(JunitTestCase c)
    {
        var id = keys.Get(c.ClassName, c.Name);
        Add(new TestResult(id.Key, id.Title, id.Name, NullIfEmpty(id.ClassName), c.File, c.Line, Map(c.Outcome), Math.Max(1, c.Attempts),
            c.DurationMs ?? 0, c.Message, c.FailureType, Truncate(c.Details), id.KeyHash));
    }

    public void Add(TestResult result)
    {
        if (_byKey.TryGetValue(result.Key, out var index))
        {
            _results[index] = Merge(_results[index], result);
            return;
        }
        _byKey[result.Key] = _results.Count;
        _results.Add(result);
    }

    internal static TestResult Merge(TestResult a, TestResult b)
    {
        if (b.Status == TestStatus.Skipped) return a with { Attempts = a.Attempts + (a.Status == TestStatus.Skipped ? b.Attempts : 0) };
        if (a.Status == TestStatus.Skipped) return b;
        var failing = a.Status is TestStatus.Failed or TestStatus.Error ? a : b.Status is TestStatus.Failed or TestStatus.Error ? b : null;
        var status = (Passing(a), Passing(b)) switch
        {
            (true, true) => a.Status == TestStatus.Flaky || b.Status == TestStatus.Flaky ? TestStatus.Flaky : TestStatus.Passed,
            (false, false) => a.Status == TestStatus.Error || b.Status == TestStatus.Error ? TestStatus.Error : TestStatus.Failed,
            _ => TestStatus.Flaky,
        };
        return a with
        {
            Status = status,
            Attempts = a.Attempts + b.Attempts,
            DurationMs = a.DurationMs + b.DurationMs,
            Message = failing?.Message ?? a.Message,
            ErrorType = failing?.ErrorType ?? a.ErrorType,
            Stack = failing?.Stack ?? a.Stack,
        };
    }

    private static bool Passing(TestResult r) => r.Status is TestStatus.Passed or TestStatus.Flaky;

    public static TestStatus Map(TestOutcome outcome) => outcome switch
    {
        TestOutcome.Passed => TestStatus.Passed,
        TestOutcome.Failed => TestStatus.Failed,
        TestOutcome.Skipped => TestStatus.Skipped,
        TestOutcome.Error => TestStatus.Error,
        TestOutcome.Flaky => TestStatus.Flaky,
        _ => TestStatus.Failed,
    };

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string? Truncate(string? s) => s is { Length: > MaxStackChars } ? s[..MaxStackChars] : s;
}
