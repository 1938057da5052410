using Seismo.Domain.Results;

namespace Seismo.Domain.Junit;

/// <summary>
/// Everything the children of one &lt;testcase&gt; say about its result, folded into one outcome:
/// error beats failure beats skipped beats flaky (failed, then passed on a Surefire/Gradle rerun).
/// </summary>
internal sealed class CaseResults(JunitLimits limits)
{
    private bool _failed;
    private bool _errored;
    private bool _skipped;
    private string? _message;
    private string? _type;
    private BoundedText? _details;
    private string? _skipMessage;

    private int _flakyRuns;
    private int _rerunFailures;
    private string? _flakyMessage;
    private string? _flakyType;
    private BoundedText? _flakyDetails;

    /// <summary>Body text of failures/errors; all bodies are kept (jasmine writes one per failed expectation).</summary>
    public BoundedText Problem(bool isError, string? message, string? type)
    {
        _errored |= isError;
        _failed |= !isError;
        // The first message wins; its type goes with it unless a later element is the first to have one.
        _message ??= JunitValues.Clip(message, limits.MaxMessageChars);
        _type ??= JunitValues.Clip(type, limits.MaxMessageChars);
        _details ??= new BoundedText(limits.MaxDetailChars);
        _details.Separate();
        return _details;
    }

    /// <summary>Returns true when the skip message still has to come from the element's body.</summary>
    public bool Skip(string? message)
    {
        _skipped = true;
        _skipMessage ??= JunitValues.Clip(message, limits.MaxMessageChars);
        return _skipMessage is null;
    }

    public void SkipBody(BoundedText body) => _skipMessage ??= body.Build();

    /// <summary>A failed run that was followed by a passing one; returns the body collector for the first only.</summary>
    public BoundedText? Flaky(string? message, string? type)
    {
        if (_flakyRuns++ > 0) return null;
        _flakyMessage = JunitValues.Clip(message, limits.MaxMessageChars);
        _flakyType = JunitValues.Clip(type, limits.MaxMessageChars);
        return _flakyDetails = new BoundedText(limits.MaxDetailChars);
    }

    /// <summary>A rerun that failed again: only the attempt is counted.</summary>
    public void Rerun() => _rerunFailures++;

    public int Attempts => 1 + _flakyRuns + _rerunFailures;

    /// <summary>
    /// The outcome, considering the testcase's own attributes last: googletest marks disabled tests with
    /// status="disabled"/"notrun" and no child, and node:test mirrors the failure message in a failure attribute.
    /// </summary>
    public (TestOutcome Outcome, string? Message, string? Type, string? Details) Resolve(string? status, string? failureAttribute)
    {
        if (_errored || _failed)
            return (_errored ? TestOutcome.Error : TestOutcome.Failed, _message, _type, _details?.Build());
        if (_skipped) return (TestOutcome.Skipped, _skipMessage, null, null);
        if (_flakyRuns > 0) return (TestOutcome.Flaky, _flakyMessage, _flakyType, _flakyDetails?.Build());
        if (IsNotRun(status)) return (TestOutcome.Skipped, null, null, null);
        if (!string.IsNullOrEmpty(failureAttribute))
            return (TestOutcome.Failed, JunitValues.Clip(failureAttribute, limits.MaxMessageChars), null, null);
        return (TestOutcome.Passed, null, null, null);
    }

    private static bool IsNotRun(string? status) =>
        status is not null && (status.Equals("disabled", StringComparison.OrdinalIgnoreCase) ||
                               status.Equals("notrun", StringComparison.OrdinalIgnoreCase) ||
                               status.Equals("skipped", StringComparison.OrdinalIgnoreCase));
}
