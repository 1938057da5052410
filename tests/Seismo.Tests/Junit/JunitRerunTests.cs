using Seismo.Domain.Results;

namespace Seismo.Tests.Junit;

/// <summary>Surefire/Gradle reruns: flakyFailure/flakyError (passed on a rerun) and rerunFailure/rerunError (failed again).</summary>
public sealed class JunitRerunTests
{
    [Fact]
    public void Surefire_flaky_test_is_flaky_with_one_attempt_per_rerun_element()
    {
        var cases = JunitTestData.Corpus("surefire/TEST-org.acme.FlakyTest.xml");

        var flaky = cases.Named("testFlaky");
        Assert.Equal(TestOutcome.Flaky, flaky.Outcome);
        Assert.Equal(5, flaky.Attempts);   // the passing run + 3 flakyFailure + 1 flakyError
        Assert.Equal("expected: <1> but was: <0>", flaky.Message);
        Assert.Equal("org.opentest4j.AssertionFailedError", flaky.FailureType);
        Assert.StartsWith("org.opentest4j.AssertionFailedError: expected: <1> but was: <0>\n\tat ", flaky.Details, StringComparison.Ordinal);
        // The reruns' own system-out is not the test case's output.
        Assert.Null(flaky.SystemOut);
        Assert.Null(flaky.SystemErr);
        Assert.Equal(["org.acme.FlakyTest"], flaky.SuitePath);

        var stable = cases.Named("testStable");
        Assert.Equal((TestOutcome.Passed, 1), (stable.Outcome, stable.Attempts));
    }

    [Fact]
    public void Flaky_failure_takes_its_details_from_the_nested_stack_trace()
    {
        var only = Assert.Single(JunitTestData.Corpus("surefire/mikepenz-surefire-flaky.xml"));

        Assert.Equal(TestOutcome.Flaky, only.Outcome);
        Assert.Equal(2, only.Attempts);
        Assert.Equal("\nExpected: <false>\n     but: was <true>", only.Message);
        Assert.Equal("java.lang.AssertionError", only.FailureType);
        Assert.StartsWith("java.lang.AssertionError: \n\nExpected: <false>", only.Details, StringComparison.Ordinal);
        Assert.DoesNotContain("Some error output here", only.Details, StringComparison.Ordinal);
        Assert.Equal(683, only.DurationMs);
    }

    [Fact]
    public void Error_with_reruns_that_failed_again_stays_an_error_and_counts_every_attempt()
    {
        var only = Assert.Single(JunitTestData.Corpus("surefire/allure2-TEST-test.RetryTest.xml"));

        Assert.Equal(TestOutcome.Error, only.Outcome);
        Assert.Equal(4, only.Attempts);   // the first run + rerunError x2 + rerunFailure
        Assert.Equal("message-root", only.Message);
        Assert.Equal("java.lang.IllegalStateException", only.FailureType);
        Assert.Equal("trace-root", only.Details);
    }

    [Fact]
    public void Gradle_merged_reruns_keep_the_test_cases_own_output()
    {
        var cases = JunitTestData.Corpus("gradle/gradle-merge-reruns-simple.xml");

        var m1 = cases.Named("m1");
        Assert.Equal((TestOutcome.Flaky, 2), (m1.Outcome, m1.Attempts));
        Assert.Equal(("m1-message-1", "m1-stackTrace-1"), (m1.Message, m1.Details));
        Assert.Equal(("m1-out-2", "m1-err-2"), (m1.SystemOut, m1.SystemErr));

        var m2 = cases.Named("m2");
        Assert.Equal((TestOutcome.Failed, 2), (m2.Outcome, m2.Attempts));
        Assert.Equal(("m2-message-1", "m2-stackTrace-1"), (m2.Message, m2.Details));
        Assert.Equal("m2-out-1", m2.SystemOut);
    }

    [Fact]
    public void Marathon_flaky_failure_next_to_plain_passes()
    {
        var cases = JunitTestData.Corpus("marathon/mikepenz-mixed-flaky-and-passed.xml");

        Assert.Single(cases, c => c.Outcome == TestOutcome.Flaky && c.Attempts == 2);
        Assert.Equal(2, cases.Count(c => c.Outcome == TestOutcome.Passed && c.Attempts == 1));
    }
}
