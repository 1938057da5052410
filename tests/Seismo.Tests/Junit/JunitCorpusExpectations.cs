namespace Seismo.Tests.Junit;

/// <summary>
/// What the parser must produce for each file under corpus/junit (except malformed/), derived from
/// corpus/INDEX.md ("N suite(s)/M case(s); failure xK; error xK; skipped xK; flakyFailure xK ...").
/// INDEX counts result *elements*; these are per-case *outcomes*. They agree except where a testcase holds
/// several result elements (error beats failure beats skipped; several failures are one failed case) or where
/// an outcome comes from an attribute; those lines say so. Reruns = sum over cases of (Attempts - 1), i.e. the
/// number of flakyFailure/flakyError/rerunFailure/rerunError elements.
/// </summary>
internal static class JunitCorpusExpectations
{
    public sealed record Expectation(string Path, int Cases, int Failed, int Errors, int Skipped, int Flaky, int Reruns);

    private static Expectation E(string path, int cases, int failed = 0, int errors = 0, int skipped = 0, int flaky = 0, int reruns = 0) =>
        new(path, cases, failed, errors, skipped, flaky, reruns);

    public static readonly IReadOnlyDictionary<string, Expectation> ByPath = new Expectation[]
    {
        E("ant/TEST-AntUnit.xml", 1),
        E("bazel/enricomi-bazel-suite-logs.xml", 1, errors: 1),
        E("c-unit/mikepenz-xunit-report.xml", 4, failed: 1),
        E("catch2/mikepenz-catch2-report.xml", 1, failed: 1),
        E("cunit/mikepenz-cunit-testEmpty.xml", 0),
        E("cunit/mikepenz-cunit-testFailure.xml", 4, failed: 1),
        E("dotnet/generated-xunit-junitxml-logger-options.xml", 11, failed: 4, skipped: 1),
        E("empty/dorny-java-junit-empty.xml", 0),
        E("empty/dorny-jest-junit-empty-testsuite.xml", 0),
        E("empty/dorny-jest-junit-empty.xml", 0),
        E("empty/enricomi-no-cases-but-tests.xml", 0),
        E("empty/enricomi-no-cases.xml", 0),
        E("go-junit-report/001-report.xml", 5, failed: 1, skipped: 2),
        E("go-junit-report/012-report.xml", 11, failed: 4, skipped: 1),
        E("go-junit-report/014-report.xml", 2, errors: 2),
        E("go-junit-report/017-report.xml", 1, failed: 1),
        E("go-junit-report/021-report.xml", 1),
        E("go-junit-report/022-report.xml", 3),
        E("go-junit-report/030-report.xml", 17, failed: 9),
        E("go-junit-report/035-report.xml", 9),
        E("go-junit-report/036-report.xml", 3, failed: 2, skipped: 1),
        E("go-junit-report/103-report.xml", 4, failed: 2),
        E("go-junit-report/105-report.xml", 1, errors: 1),
        E("go-junit-report/107-report.xml", 2, skipped: 2),
        E("googletest/mikepenz-testDisabled.xml", 22, failed: 4, errors: 2, skipped: 10), // status='disabled' without a <skipped> child counts as skipped; INDEX counts <skipped> elements (none)
        E("googletest/mikepenz-testFailedDisabled.xml", 1, failed: 1),
        E("gotestsum/junitxml-report-hide-skipped-tests.xml", 55, failed: 13),
        E("gotestsum/junitxml-report-tc-with-attributes.xml", 1),
        E("gotestsum/junitxml-report.xml", 60, failed: 13, skipped: 5),
        E("gradle/gradle-merge-reruns-simple.xml", 2, failed: 1, flaky: 1, reruns: 2),
        E("gradle/gradle-no-tests.xml", 0),
        E("gradle/gradle-output-per-testcase.xml", 2),
        E("gradle/gradle-writer-basic.xml", 4, failed: 1, skipped: 1),
        E("jasmine/generated-jasmine-reporters-junit.xml", 7, failed: 3, skipped: 2), // INDEX: failure x4 elements; one case holds two <failure> elements
        E("jest/dorny-jest-junit-eslint.xml", 1),
        E("jest/dorny-jest-junit.xml", 6, failed: 4, skipped: 1),
        E("jest/dorny-jest-react-component.xml", 1),
        E("jest/dorny-jest-test-errors.xml", 2, errors: 2),
        E("jest/dorny-jest-test-results-large.xml", 4239, failed: 2, skipped: 30),
        E("jest/enricomi-jest-junit.xml", 2),
        E("jest/generated-jest-junit-default.xml", 13, failed: 3, skipped: 1),
        E("jest/generated-jest-junit-options.xml", 13, failed: 3, skipped: 1),
        E("marathon/mikepenz-marathon-DummyTest3.xml", 1, failed: 1),
        E("marathon/mikepenz-marathon-DummyUtilTest.xml", 1, failed: 1),
        E("marathon/mikepenz-marathon-flaky-failure.xml", 1, flaky: 1, reruns: 1),
        E("marathon/mikepenz-mixed-flaky-and-passed.xml", 3, flaky: 1, reruns: 1),
        E("misc/allure2-TEST-test.CdataMessage.xml", 2, failed: 1),
        E("misc/allure2-with-timestamp.xml", 1),
        E("misc/allure2-zulu-timestamp.xml", 2),
        E("misc/dorny-empty-failures.xml", 3, failed: 1),
        E("misc/dorny-junit-with-message.xml", 1, failed: 1),
        E("misc/enricomi-empty-system-out-err.xml", 1),
        E("misc/enricomi-minimal-attributes.xml", 4, failed: 1, errors: 1, skipped: 1),
        E("misc/enricomi-multiresult.xml", 4, failed: 1, errors: 1, skipped: 1), // INDEX: failure x2, error x1, skipped x3 elements; error beats failure beats skipped per case
        E("misc/enricomi-unsupported-unicode.xml", 7, failed: 2, errors: 2, skipped: 2),
        E("misc/mikepenz-multiple-errors.xml", 3, errors: 2), // INDEX: failure x1, error x3 elements; two errors in one case, failure+error in another
        E("misc/mikepenz-multiple-failures.xml", 4, failed: 2, skipped: 1), // INDEX: failure x4 elements; one case holds three <failure> elements
        E("mocha/enricomi-latex-utensils.xml", 109),
        E("mocha/generated-mocha-junit-default.xml", 9, failed: 4),
        E("mocha/generated-mocha-junit-jenkins.xml", 12, failed: 4, skipped: 3),
        E("nested/enricomi-testsuite-in-testsuite.xml", 5),
        E("nested/mikepenz-nested-junit.xml", 5, failed: 3),
        E("nette-tester/dorny-BootstrapFormRenderer-report.xml", 4),
        E("nette-tester/dorny-tester-v1.7-report.xml", 65, failed: 1, skipped: 3),
        E("nextest/mikepenz-nextest-basic.xml", 3, failed: 1),
        E("node-test/generated-node-test-junit.xml", 12, failed: 4, skipped: 2),
        E("phpunit/dorny-phpcheckstyle-phpunit.xml", 30, failed: 2),
        E("phpunit/dorny-phpunit.xml", 12, failed: 2),
        E("playwright/generated-playwright-junit.xml", 9, failed: 1, errors: 2, skipped: 3),
        E("pytest/dorny-python-xunit-pytest.xml", 10, failed: 2, skipped: 2),
        E("pytest/enricomi-horovod-gloo-elastic-spark-tf.xml", 22, skipped: 2),
        E("pytest/enricomi-horovod-gloo-standalone.xml", 97, skipped: 17),
        E("pytest/enricomi-horovod-spark-integration-1.xml", 35, skipped: 2),
        E("pytest/enricomi-pytest-fail.xml", 5, failed: 1, skipped: 1),
        E("pytest/mikepenz-flaky-retries-all-failures.xml", 3, failed: 2, errors: 1),
        E("pytest/mikepenz-flaky-retries-success-first.xml", 3, failed: 1, errors: 1),
        E("pytest/mikepenz-pytest-report.xml", 3, failed: 2),
        E("python-unittest/dorny-python-xunit-unittest.xml", 8, failed: 1, errors: 1, skipped: 2),
        E("scalatest/enricomi-TEST-DiffOptionsSuite.xml", 5),
        E("surefire/TEST-NoPackageTest.xml", 3, failed: 3),
        E("surefire/TEST-NoTimeTestCaseTest.xml", 8),
        E("surefire/TEST-classWithNoTests.NoMethodsTestCase.xml", 0),
        E("surefire/TEST-com.shape.CircleTest.xml", 8, failed: 1, errors: 1),
        E("surefire/TEST-org.acme.FlakyTest.xml", 2, flaky: 1, reruns: 4),
        E("surefire/TEST-org.apache.maven.surefire.test.FailingTest.xml", 2, failed: 2),
        E("surefire/TEST-surefire.MyTest-enclosed.xml", 1, errors: 1),
        E("surefire/TEST-umlautTest.BasicTest.xml", 1),
        E("surefire/allure2-TEST-JunitTestResultsTest.xml", 5, failed: 1, skipped: 1),
        E("surefire/allure2-TEST-test.RetryTest.xml", 1, errors: 1, reruns: 3),
        E("surefire/mikepenz-TEST-AllOkTest.xml", 1),
        E("surefire/mikepenz-TEST-EmailAddressTest.xml", 9, failed: 2, errors: 5),
        E("surefire/mikepenz-TEST-StringUtilsTest.xml", 5, failed: 2, skipped: 1),
        E("surefire/mikepenz-surefire-flaky.xml", 1, flaky: 1, reruns: 1),
        E("swift/dorny-swift-xunit.xml", 3, failed: 1),
        E("testng/dorny-pulsar-test-report.xml", 808, failed: 1, skipped: 14),
        E("vitest/generated-vitest-junit-large.xml", 16000, failed: 160, skipped: 300),
        E("vitest/generated-vitest-junit.xml", 14, failed: 4, skipped: 2),
    }.ToDictionary(e => e.Path, StringComparer.Ordinal);
}
