namespace Seismo.Domain.Flakiness;

/// <summary>What the scorer currently believes about a test.</summary>
public enum FlakinessLabel : byte { Stable, Suspected, Flaky, Regression, Broken }

/// <summary>Why the test carries its label; kept for the API.</summary>
public enum FlakinessReason : byte
{
    None,
    /// <summary>Failed and then passed within one run.</summary>
    PassedOnRetry,
    /// <summary>Passed and failed on the same commit (counted once per commit).</summary>
    SameCommitFlip,
    /// <summary>The decayed failure estimate is confidently above the threshold.</summary>
    FailureRateAboveThreshold,
    /// <summary>Consecutive hard failures tripped the CUSUM: the code most likely broke.</summary>
    ConsecutiveHardFailures,
    /// <summary>Hard failures on every run for long enough.</summary>
    FailingEveryRun,
    /// <summary>Failures came in blocks (far fewer flips than independent failures would give).</summary>
    ClusteredFailures,
    /// <summary>Was flaky, regressed or broken, and the evidence has since gone.</summary>
    Recovered,
}

/// <summary>The outcome of one test in one run, after its retries within that run.</summary>
public enum ResultKind : byte
{
    Passed,
    /// <summary>Failed and then passed within the run.</summary>
    PassedOnRetry,
    /// <summary>Every attempt failed.</summary>
    Failed,
    Skipped,
}

/// <summary>One result as the scorer sees it.</summary>
/// <param name="CommitHash">0 when unknown; the caller hashes the commit sha.</param>
/// <param name="RunFailureFraction">
/// Share of the run's tests that failed at least one attempt (count PassedOnRetry as failed too, so an
/// infrastructure storm that retries absorb still trips the gate).
/// </param>
/// <param name="RunSize">Number of tests in the run that produced a result.</param>
public readonly record struct ScorerInput(
    ResultKind Kind, int Attempts, ulong CommitHash, ulong BranchHash, double RunFailureFraction, int RunSize);
