using System.Text;
using Seismo.Domain.Identity;
using Seismo.Domain.Results;

namespace Seismo.Domain.Allure;

/// <summary>One test of a build as Allure reported it, its retries folded in.</summary>
public sealed record AllureTest(
    TestKey Key,
    string Title,
    string? FullName,
    string? ClassName,
    TestOutcome Outcome,
    int Attempts,
    double DurationMs,
    string? Message,
    string? Trace);

/// <summary>
/// Folds the result files of one build into one test each. Several results with the same <c>historyId</c> are
/// retries of one test: they count as attempts, and a test that both failed and passed is flaky. Each test's key is
/// <see cref="TestKeys.FromAllure"/>, the same identity JUnit results of that test get.
/// </summary>
public sealed class AllureTests
{
    private const int MaxTraceChars = 8192;
    private readonly Dictionary<string, List<Attempt>> _groups = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>One result file with its key, worked out once.</summary>
    private readonly record struct Attempt(AllureResult Result, TestKey Key);

    public int ResultCount { get; private set; }

    public void Add(AllureResult result)
    {
        ResultCount++;
        var key = TestKeys.FromAllure(result.FullName, result.Name, result.Labels);
        var group = result.HistoryId is { } history ? "h:" + history : "k:" + key.Value;
        if (!_groups.TryGetValue(group, out var list))
        {
            _groups[group] = list = new List<Attempt>(1);
            _order.Add(group);
        }
        list.Add(new Attempt(result, key));
    }

    public IEnumerable<AllureTest> Tests() => _order.Select(g => Fold(_groups[g]));

    /// <summary>Retries ordered by start time; the outcome is the last one, flaky when a failure and a pass are both there.</summary>
    public static AllureTest Fold(IReadOnlyList<AllureResult> attempts) =>
        Fold(attempts.Select(r => new Attempt(r, TestKeys.FromAllure(r.FullName, r.Name, r.Labels))).ToList());

    private static AllureTest Fold(List<Attempt> attempts)
    {
        // Most tests ran once: only retries need ordering.
        var ordered = attempts.Count == 1 ? attempts
            : attempts.Select((a, i) => (a, i)).OrderBy(x => x.a.Result.Start ?? long.MaxValue).ThenBy(x => x.i).Select(x => x.a).ToList();
        var last = ordered[^1].Result;
        bool anyPass = false, anyFail = false;
        AllureResult? failing = null;
        double duration = 0;
        foreach (var (result, _) in ordered)
        {
            var attempt = Outcome(result);
            anyPass |= attempt == TestOutcome.Passed;
            if (attempt is TestOutcome.Failed or TestOutcome.Error)
            {
                anyFail = true;
                failing = result;
            }
            duration += result.DurationMs;
        }
        var outcome = Outcome(last);
        if (anyPass && anyFail) outcome = TestOutcome.Flaky;
        else if (outcome == TestOutcome.Passed && last.Flaky) outcome = TestOutcome.Flaky;
        var explained = failing ?? (outcome == TestOutcome.Skipped ? last : null);
        var step = failing is null ? null : FailingStep(failing.Steps);
        return new AllureTest(
            ordered[^1].Key,
            last.Name,
            last.FullName,
            last.Label("testClass"),
            outcome,
            ordered.Count,
            duration,
            explained?.Message ?? step?.Message,
            explained is null ? null : Trace(explained.Trace ?? step?.Trace, explained.Steps));
    }

    /// <summary>Allure's statuses in Seismo's terms: broken is an error, and unknown (or none) counts as skipped.</summary>
    public static TestOutcome Outcome(AllureResult r) => r.Status switch
    {
        AllureStatus.Passed => TestOutcome.Passed,
        AllureStatus.Failed => TestOutcome.Failed,
        AllureStatus.Broken => TestOutcome.Error,
        _ => TestOutcome.Skipped,
    };

    private static AllureStep? FailingStep(IReadOnlyList<AllureStep> steps)
    {
        foreach (var step in steps)
        {
            if (step.Status is not (AllureStatus.Failed or AllureStatus.Broken)) continue;
            return FailingStep(step.Steps) ?? step;
        }
        return null;
    }

    /// <summary>The trace, then the step tree with each step's status, so a failure shows where in the test it happened.</summary>
    private static string? Trace(string? trace, IReadOnlyList<AllureStep> steps)
    {
        if (steps.Count == 0) return trace;
        var text = new StringBuilder(trace);
        if (text.Length > 0) text.Append("\n\n");
        text.Append("Steps:");
        Outline(text, steps, 1);
        return text.Length > MaxTraceChars ? text.ToString(0, MaxTraceChars) : text.ToString();
    }

    private static void Outline(StringBuilder text, IReadOnlyList<AllureStep> steps, int depth)
    {
        foreach (var step in steps)
        {
            if (text.Length > MaxTraceChars) return;
            text.Append('\n').Append(' ', depth * 2).Append(step.Status.ToString().ToLowerInvariant()).Append(": ").Append(step.Name);
            if (step.Message is { } message) text.Append(" — ").Append(message.Split('\n')[0]);
            Outline(text, step.Steps, depth + 1);
        }
    }
}
