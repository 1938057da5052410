using System.Text.Json;
using System.Xml.Linq;
using Seismo.Domain.Identity;
using Seismo.Tests.Support;

namespace Seismo.Tests.Identity;

public class TestKeyTests
{
    [Fact]
    public void Playwright_junit_and_allure_playwright_name_the_same_test()
    {
        var junit = JunitCases("junit/playwright/generated-playwright-junit.xml");
        var allure = AllureResults("allure/allure-playwright");
        var fromJunit = junit.Select(c => TestKeys.FromJunit(c.ClassName, c.Name).Value).ToHashSet();
        var fromAllure = allure.Select(a => TestKeys.FromAllure(a.FullName, a.Name, a.Labels).Value).ToHashSet();

        Assert.Contains("Account API creates account", fromJunit);
        Assert.Contains("Account API creates account", fromAllure);
        // Every test the Allure run reported is one the JUnit run reported too.
        Assert.Subset(fromJunit, fromAllure);
    }

    [Fact]
    public void Vitest_junit_and_allure_vitest_name_the_same_test()
    {
        var fromJunit = JunitCases("junit/vitest/generated-vitest-junit.xml").Select(c => TestKeys.FromJunit(c.ClassName, c.Name).Value).ToHashSet();
        var fromAllure = AllureResults("allure/allure-vitest").Select(a => TestKeys.FromAllure(a.FullName, a.Name, a.Labels).Value).ToHashSet();
        Assert.Contains("Calculator add adds two numbers", fromJunit);
        Assert.Contains("Calculator add adds two numbers", fromAllure);
        Assert.Contains("Calculator div divides", fromAllure.Intersect(fromJunit));
    }

    [Fact]
    public void Jest_default_and_jest_with_describe_classnames_and_mocha_agree()
    {
        var jestDefault = JunitCases("junit/jest/generated-jest-junit-default.xml").Select(c => TestKeys.FromJunit(c.ClassName, c.Name).Value).ToHashSet();
        var jestOptions = JunitCases("junit/jest/generated-jest-junit-options.xml").Select(c => TestKeys.FromJunit(c.ClassName, c.Name).Value).ToHashSet();
        var mocha = JunitCases("junit/mocha/generated-mocha-junit-default.xml").Select(c => TestKeys.FromJunit(c.ClassName, c.Name).Value).ToHashSet();
        Assert.Contains("Calculator add adds two numbers", jestDefault);
        Assert.Contains("Calculator add adds two numbers", jestOptions);
        Assert.Contains("Calculator add adds two numbers", mocha);
        Assert.Equal(jestDefault.Order(), jestOptions.Order());
    }

    [Fact]
    public void Euriqa_full_title_matches_playwright_junit_with_or_without_a_file_path()
    {
        var junit = TestKeys.FromJunit("auth/login.spec.ts", "[chromium] Auth › Login Page › should display login form");
        var withPath = TestKeys.FromEuriqa("Auth > Login Page > should display login form", "tests/auth/login.spec.ts", "should display login form");
        var withoutPath = TestKeys.FromEuriqa("Auth > Login Page > should display login form", null, "should display login form");
        var withFileSegment = TestKeys.FromEuriqa("auth/login.spec.ts > Auth > Login Page > should display login form", "tests/auth/login.spec.ts", "should display login form");
        Assert.Equal("Auth Login Page should display login form", junit.Value);
        Assert.Equal(junit, withPath);
        Assert.Equal(junit, withoutPath);
        Assert.Equal(junit, withFileSegment);
    }

    [Fact]
    public void Java_class_scope_matches_allure_java_labels_and_gradle_parentheses()
    {
        var surefire = TestKeys.FromJunit("com.acme.CartTest", "addsItem");
        var gradle = TestKeys.FromJunit("com.acme.CartTest", "addsItem()");
        var allure = TestKeys.FromAllure("com.acme.CartTest.addsItem", "addsItem",
            [new("testClass", "com.acme.CartTest"), new("testMethod", "addsItem"), new("language", "java")]);
        var allureWithoutLabels = TestKeys.FromAllure("com.acme.CartTest.addsItem", "addsItem", []);
        Assert.Equal("com.acme.CartTest addsItem", surefire.Value);
        Assert.Equal(surefire, gradle);
        Assert.Equal(surefire, allure);
        Assert.Equal(surefire, allureWithoutLabels);
    }

    [Fact]
    public void Pytest_junit_matches_allure_pytest_full_name()
    {
        var junit = TestKeys.FromJunit("tests.test_lib", "test_always_pass");
        var allure = TestKeys.FromAllure("tests.test_lib#test_always_pass", "test_always_pass", [new("language", "python")]);
        Assert.Equal(junit, allure);
    }

    [Fact]
    public void Allure_mocha_full_name_drops_the_file_prefix()
    {
        var key = TestKeys.FromAllure("mocha11:mocha/allure.spec.js: Checkout service > cart totals > sums line items", "sums line items",
            [new("language", "javascript"), new("testClass", "CartTotalsTest")]);
        Assert.Equal("Checkout service cart totals sums line items", key.Value);
        Assert.Equal(key, TestKeys.FromJunit("sums line items", "Checkout service cart totals sums line items"));
    }

    [Fact]
    public void Whitespace_and_unicode_forms_are_normalised_but_case_is_kept()
    {
        var decomposed = "Gru\u0308ße";
        var a = TestKeys.FromJunit("  My.Class ", "  test\t  " + decomposed + "  ");
        var b = TestKeys.FromJunit("My.Class", "test Grüße");
        Assert.Equal(a, b);
        Assert.NotEqual(b, TestKeys.FromJunit("My.Class", "Test Grüße"));
    }

    [Fact]
    public void A_file_attribute_never_changes_the_key_and_distinct_tests_stay_distinct()
    {
        Assert.NotEqual(TestKeys.FromJunit("a.B", "x"), TestKeys.FromJunit("a.C", "x"));
        Assert.NotEqual(TestKeys.FromJunit("vt/a.test.ts", "Suite > one"), TestKeys.FromJunit("vt/a.test.ts", "Suite > two"));
        Assert.Equal(TestKeys.FromJunit("vt/a.test.ts", "Suite > one"), TestKeys.FromJunit("vt/b/a.test.ts", "Suite > one"));
    }

    [Fact]
    public void Hash_is_stable_and_public_ids_round_trip()
    {
        var key = TestKeys.FromJunit("com.acme.CartTest", "addsItem");
        Assert.Equal(key.HashHex(), TestKey.FromStored(key.Value).HashHex());
        Assert.Equal(24, key.HashHex().Length);
        var project = Guid.NewGuid();
        var testId = PublicIds.TestId(project, key.HashHex());
        Assert.True(PublicIds.TryParseTestId(testId, out var p, out var h));
        Assert.Equal((project, key.HashHex()), (p, h));
        var run = Guid.NewGuid();
        Assert.True(PublicIds.TryParseResultId(PublicIds.ResultId(run, 41), out var r, out var i));
        Assert.Equal((run, 41), (r, i));
        Assert.False(PublicIds.TryParseTestId("t_garbage!", out _, out _));
        Assert.False(PublicIds.TryParseResultId(testId, out _, out _));
        Assert.True(PublicIds.TryParseRunId(PublicIds.ObservationId(DateTimeOffset.UtcNow, run), out var fromObservation));
        Assert.Equal(run, fromObservation);
    }

    private static List<(string ClassName, string Name)> JunitCases(string relative) =>
        XDocument.Load(SharedData.CorpusPath(relative.Split('/')))
            .Descendants("testcase")
            .Select(e => ((string?)e.Attribute("classname") ?? "", (string?)e.Attribute("name") ?? ""))
            .ToList();

    private static List<(string? FullName, string Name, IReadOnlyList<KeyValuePair<string, string>> Labels)> AllureResults(string relative) =>
        Directory.GetFiles(SharedData.CorpusPath(relative.Split('/')), "*-result.json")
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement)
            .Select(j => (
                j.TryGetProperty("fullName", out var fn) ? fn.GetString() : null,
                j.GetProperty("name").GetString()!,
                (IReadOnlyList<KeyValuePair<string, string>>)(j.TryGetProperty("labels", out var ls)
                    ? ls.EnumerateArray().Select(l => new KeyValuePair<string, string>(l.GetProperty("name").GetString()!, l.GetProperty("value").GetString()!)).ToList()
                    : [])))
            .ToList();
}
