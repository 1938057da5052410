using Seismo.Domain.Results;

namespace Seismo.Tests.Junit;

/// <summary>Dialect details seen in the corpus: text, missing attributes, nesting, several results per case.</summary>
public sealed class JunitDialectTests
{
    private const string Unicode = "Grüße — ünïcödé 名前 🚀 <xml> & \"quotes\"";

    [Fact]
    public void Non_ascii_names_and_entities_are_decoded()
    {
        Assert.Single(JunitTestData.Corpus("jest/generated-jest-junit-options.xml"), c => c.Name == Unicode);
        Assert.Single(JunitTestData.Corpus("vitest/generated-vitest-junit.xml"), c => c.Name == "Calculator > " + Unicode);
        // node:test escapes twice; the literal &quot; is what the producer meant.
        Assert.Single(JunitTestData.Corpus("node-test/generated-node-test-junit.xml"),
            c => c.Name == "Grüße — ünïcödé 名前 🚀 <xml> & &quot;quotes&quot;");

        var astral = JunitTestData.Corpus("misc/enricomi-unsupported-unicode.xml");
        Assert.Equal("test 1 헴䜝헱홐㣇㿷䔭𒍺𡓿𠄉㦓", astral[0].Name);
        Assert.Equal("Some unsupported unicode characters: 헴䜝헱홐㣇㿷䔭𒍺𡓿𠄉㦓", astral.Named("test 5").Details);
    }

    [Fact]
    public void Cdata_bodies_come_out_verbatim_including_split_sections()
    {
        var cdata = JunitTestData.Corpus("misc/allure2-TEST-test.CdataMessage.xml").Named("shouldGenerateSystemOutOnError");
        Assert.Equal(("some-message", "some-trace", "output\nmore output"), (cdata.Message, cdata.Details, cdata.SystemOut));

        // jest-junit escapes "]]>" inside CDATA as "]]]]><![CDATA[>".
        var split = JunitTestData.Corpus("jest/generated-jest-junit-options.xml").Named("always fails with multiline message");
        Assert.StartsWith("Error: line one\nline two\n\tindented <b>bold</b> ]]>\n    at ", split.Details, StringComparison.Ordinal);

        var playwright = JunitTestData.Corpus("playwright/generated-playwright-junit.xml").Named("[api] Account API › always fails, every retry");
        Assert.Equal("upstream 503 <Service Unavailable> ]]>", playwright.Message);
        Assert.Equal("stderr line\nstderr line\nstderr line", playwright.SystemErr);
    }

    [Fact]
    public void Whitespace_inside_output_is_kept_as_written()
    {
        var flat = JunitTestData.Corpus("go-junit-report/035-report.xml").Named("TestFlat");

        Assert.Equal("    whitespace_test.go:9: log 1\n    whitespace_test.go:10: log 2\nprintf 1\nprintf 2", flat.SystemOut);
    }

    [Fact]
    public void Missing_attributes_become_empty_or_null()
    {
        var cases = JunitTestData.Corpus("misc/enricomi-minimal-attributes.xml");

        Assert.All(cases, c => Assert.Equal((null, null, null, 1), (c.DurationMs, c.File, c.Line, c.Attempts)));
        Assert.All(cases, c => Assert.Empty(c.SuitePath));   // the suite has no name
        var failed = cases.Named("failed_test");
        Assert.Equal((TestOutcome.Failed, null, null, null), (failed.Outcome, failed.Message, failed.FailureType, failed.Details));

        var cunit = JunitTestData.Corpus("c-unit/mikepenz-xunit-report.xml").Named("test_my_sum_pos");
        Assert.Equal(("", "main.c", 44, (double?)null), (cunit.ClassName, cunit.File, cunit.Line, cunit.DurationMs));
    }

    [Fact]
    public void Nested_suites_give_the_path_of_named_ancestors_and_the_nearest_file()
    {
        var cases = JunitTestData.Corpus("nested/enricomi-testsuite-in-testsuite.xml");

        var deep = cases.Named("TestCase3");
        Assert.Equal(["Project Test Suite", "TestSuite2", "TestSuite2.1"], deep.SuitePath);
        Assert.Equal(("someName", "/somepath", 40, 1088.17), (deep.ClassName, deep.File, deep.Line, deep.DurationMs));
        Assert.Equal(["Project Test Suite", "TestSuite2"], cases.Named("TestCase4").SuitePath);
        Assert.Equal(["Project Test Suite"], cases.Named("TestCase5").SuitePath);

        var levels = JunitTestData.Corpus("nested/mikepenz-nested-junit.xml");
        Assert.Equal(["All tests", "tests", "packet", "TestA"], levels[0].SuitePath);
        Assert.Equal(["All tests", "tests", "packet"], levels[^1].SuitePath);
    }

    [Fact]
    public void Testcase_directly_under_testsuites_has_an_empty_suite_path()
    {
        var cases = JunitTestData.Corpus("node-test/generated-node-test-junit.xml");

        Assert.Empty(cases.Named("top-level plain test (testcase directly under testsuites)").SuitePath);
        Assert.Equal(["Calculator", "nested"], cases.Named("times out").SuitePath);
        Assert.Equal(["top-level test with subtests"], cases.Named("sub two fails").SuitePath);
    }

    [Fact]
    public void File_falls_back_to_the_nearest_suite_that_has_one()
    {
        var cases = JunitTestData.Inline("""
            <testsuites><testsuite name="outer" file="outer.py"><testsuite name="inner">
              <testcase name="a"/><testcase name="b" file="own.py"/>
            </testsuite></testsuite></testsuites>
            """);

        Assert.Equal("outer.py", cases.Named("a").File);
        Assert.Equal("own.py", cases.Named("b").File);
    }

    [Fact]
    public void Several_failures_in_one_case_are_one_failed_case_with_the_first_message_and_all_bodies()
    {
        var jasmine = JunitTestData.Corpus("jasmine/generated-jasmine-reporters-junit.xml").Named("two failed expectations in one spec");
        Assert.Equal((TestOutcome.Failed, "Expected 1 to be 2.", "toBe"), (jasmine.Outcome, jasmine.Message, jasmine.FailureType));
        Assert.Contains("\n\n", jasmine.Details, StringComparison.Ordinal);

        var multi = JunitTestData.Corpus("misc/mikepenz-multiple-failures.xml").Named("testWithMultipleFailures");
        Assert.Equal("First assertion failed", multi.Message);
        Assert.Contains("Third assertion failed", multi.Details, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_beats_failure_beats_skipped_within_one_case()
    {
        var cases = JunitTestData.Corpus("misc/enricomi-multiresult.xml");

        var errors = cases.Named("test that errors");
        Assert.Equal((TestOutcome.Error, "test failure"), (errors.Outcome, errors.Message));   // first message kept
        Assert.Equal("Assertion failed\n\nstdout", errors.Details);
        Assert.Equal(TestOutcome.Failed, cases.Named("test that fails").Outcome);
        Assert.Equal(TestOutcome.Skipped, cases.Named("test that is skipped").Outcome);
        Assert.Equal(TestOutcome.Passed, cases.Named("test that succeeds").Outcome);
    }

    [Fact]
    public void Skip_message_comes_from_the_attribute_else_the_body()
    {
        var cases = JunitTestData.Corpus("misc/enricomi-unsupported-unicode.xml");

        Assert.Equal("Some unsupported unicode characters: 헴䜝헱홐㣇㿷䔭𒍺𡓿𠄉㦓", cases.Named("test 2").Message);
        Assert.Equal("message", cases.Named("test 3").Message);
        Assert.Equal("skipped", JunitTestData.Inline("<testsuite><testcase name='t'><skipped>skipped</skipped></testcase></testsuite>")[0].Message);
    }

    [Fact]
    public void Googletest_disabled_status_is_skipped_unless_a_failure_says_otherwise()
    {
        var cases = JunitTestData.Corpus("googletest/mikepenz-testDisabled.xml");
        Assert.Equal(TestOutcome.Skipped, cases.Named("disabled_test").Outcome);
        Assert.Equal(TestOutcome.Error, cases.Named("test_which_throws_unknown_exception").Outcome);

        var failedDisabled = Assert.Single(JunitTestData.Corpus("googletest/mikepenz-testFailedDisabled.xml"));
        Assert.Equal((TestOutcome.Failed, "Test Failure"), (failedDisabled.Outcome, failedDisabled.FailureType));
    }

    [Fact]
    public void Node_test_failure_attribute_alone_still_fails_the_case()
    {
        var only = Assert.Single(JunitTestData.Inline("<testsuites><testcase name='t' failure='boom'/></testsuites>"));

        Assert.Equal((TestOutcome.Failed, "boom"), (only.Outcome, only.Message));
    }

    [Fact]
    public void Testcase_properties_are_kept_with_values_from_attribute_or_text()
    {
        var go = Assert.Single(JunitTestData.Corpus("gotestsum/junitxml-report-tc-with-attributes.xml"));
        Assert.Equal([new("hello", "world"), new("other", "side")], go.Properties);

        var playwright = JunitTestData.Corpus("playwright/generated-playwright-junit.xml");
        Assert.Equal([new("issue", "SEIS-101")], playwright.Named("[api] Account API › rejects duplicate email (fails)").Properties);

        var text = Assert.Single(JunitTestData.Inline(
            "<testsuite><testcase name='t'><properties><property name='k'>long value</property></properties></testcase></testsuite>"));
        Assert.Equal([new("k", "long value")], text.Properties);
    }

    [Fact]
    public void Durations_cover_nanoseconds_exponents_and_absent_times()
    {
        Assert.Equal(2.380713, JunitTestData.Corpus("vitest/generated-vitest-junit.xml").Named("Calculator > add > adds two numbers").DurationMs);
        Assert.Equal(0.017, JunitTestData.Corpus("cunit/mikepenz-cunit-testFailure.xml").Named("DefaultCtor_When_ShouldTest").DurationMs);

        var surefire = JunitTestData.Corpus("surefire/TEST-NoTimeTestCaseTest.xml");
        Assert.Equal(["test7", "testResults"], surefire.Where(c => c.DurationMs is null).Select(c => c.Name));
        Assert.Equal(500, surefire.Named("test6").DurationMs);
    }
}
