using Seismo.Domain;
using Seismo.Domain.Junit;
using Seismo.Domain.Results;
using Seismo.Tests.Support;

namespace Seismo.Tests.Junit;

/// <summary>Every JUnit file of the shared corpus: the well-formed ones parse to the expected counts.</summary>
public sealed class JunitCorpusTests
{
    private static readonly string JunitRoot = SharedData.CorpusPath("junit");

    public static TheoryData<string> WellFormedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in CorpusFiles().Where(p => !IsMalformed(p))) data.Add(path);
        return data;
    }

    [Theory]
    [MemberData(nameof(WellFormedFiles))]
    public void Corpus_file_parses_to_the_expected_counts(string relativePath)
    {
        Assert.True(JunitCorpusExpectations.ByPath.TryGetValue(relativePath, out var expected),
            $"{relativePath} has no entry in JunitCorpusExpectations; add its counts from INDEX.md");

        using var stream = File.OpenRead(Path.Combine(JunitRoot, relativePath));
        var cases = JunitParser.Read(stream, relativePath).ToList();

        var actual = new JunitCorpusExpectations.Expectation(
            relativePath,
            cases.Count,
            cases.Count(c => c.Outcome == TestOutcome.Failed),
            cases.Count(c => c.Outcome == TestOutcome.Error),
            cases.Count(c => c.Outcome == TestOutcome.Skipped),
            cases.Count(c => c.Outcome == TestOutcome.Flaky),
            cases.Sum(c => c.Attempts - 1));
        Assert.Equal(expected, actual);
        Assert.All(cases, c => Assert.NotNull(c.Name));
    }

    [Fact]
    public void Every_corpus_file_has_expectations_and_every_expectation_a_file()
    {
        var files = CorpusFiles().Where(p => !IsMalformed(p)).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(files);
        Assert.Empty(files.Except(JunitCorpusExpectations.ByPath.Keys));
        Assert.Empty(JunitCorpusExpectations.ByPath.Keys.Except(files));
    }

    [Fact]
    public void Read_all_returns_the_cases_and_the_declared_totals()
    {
        using var stream = File.OpenRead(Path.Combine(JunitRoot, "surefire", "mikepenz-TEST-EmailAddressTest.xml"));
        var report = JunitParser.ReadAll(stream, "email.xml");

        Assert.Equal(9, report.TestCases.Count);
        Assert.Equal(9, report.Declared.Tests);
        Assert.Equal(2, report.Declared.Failures);
        Assert.Equal(5, report.Declared.Errors);
    }

    [Fact]
    public void Declared_totals_of_a_testsuites_root_without_counts_are_summed_over_its_suites()
    {
        using var stream = File.OpenRead(Path.Combine(JunitRoot, "googletest", "mikepenz-testDisabled.xml"));
        var report = JunitParser.ReadAll(stream, "gtest.xml");

        Assert.Equal(new JunitDeclaredTotals(22, 4, 2, 10), report.Declared);
    }

    internal static IEnumerable<string> CorpusFiles() =>
        Directory.EnumerateFiles(JunitRoot, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(JunitRoot, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    internal static bool IsMalformed(string relativePath) => relativePath.StartsWith("malformed/", StringComparison.Ordinal);
}
