using Seismo.Domain;
using Seismo.Domain.Junit;
using Seismo.Tests.Support;

namespace Seismo.Tests.Junit;

/// <summary>Every file in corpus/junit/malformed is rejected with a ReportFormatException, quickly and with nothing else.</summary>
public sealed class JunitMalformedTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    public static TheoryData<string> MalformedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(SharedData.CorpusPath("junit", "malformed")).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public async Task Malformed_file_is_rejected_with_a_report_format_exception_naming_it(string fileName)
    {
        var path = SharedData.CorpusPath("junit", "malformed", fileName);
        var run = Task.Run(() =>
        {
            using var stream = File.OpenRead(path);
            return Record.Exception(() => JunitParser.Read(stream, fileName).ToList());
        });

        var finished = await Task.WhenAny(run, Task.Delay(Guard));
        Assert.True(finished == run, $"{fileName}: parsing did not finish within {Guard}");
        var error = Assert.IsType<ReportFormatException>(await run);
        Assert.Contains(fileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_malformed_folder_is_not_empty() => Assert.True(MalformedFiles().Count >= 12);

    [Theory]
    [InlineData("billion-laughs.xml")]
    [InlineData("quadratic-blowup.xml")]
    [InlineData("xxe-external-entity.xml")]
    [InlineData("external-dtd-ssrf.xml")]
    public void Documents_with_a_dtd_are_refused_before_any_entity_is_expanded(string fileName)
    {
        using var stream = File.OpenRead(SharedData.CorpusPath("junit", "malformed", fileName));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ReportFormatException>(() => JunitParser.Read(stream, fileName).ToList());

        Assert.Contains("DTD", error.Message, StringComparison.Ordinal);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 * 1024 * 1024);
    }

    [Theory]
    [InlineData("wrong-root.xml", "root element <html>")]
    [InlineData("enricomi-non-junit-root.xml", "root element <suites>")]
    [InlineData("allure2-allure1-not-junit.xml", "root element <ns2:test-suite>")]
    public void Well_formed_documents_of_another_kind_are_named_as_not_junit(string fileName, string expected)
    {
        using var stream = File.OpenRead(SharedData.CorpusPath("junit", "malformed", fileName));

        var error = Assert.Throws<ReportFormatException>(() => JunitParser.Read(stream, fileName).ToList());

        Assert.Equal($"{fileName} is not a JUnit report: {expected}", error.Message);
    }

    [Fact]
    public void Deep_nesting_is_refused_at_the_depth_limit_with_a_position()
    {
        using var stream = File.OpenRead(SharedData.CorpusPath("junit", "malformed", "deep-nesting-50k.xml"));

        var error = Assert.Throws<ReportFormatException>(() => JunitParser.Read(stream, "deep.xml").ToList());

        Assert.StartsWith("deep.xml:2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_refused_rather_than_replaced()
    {
        using var stream = File.OpenRead(SharedData.CorpusPath("junit", "malformed", "invalid-utf8.xml"));

        var error = Assert.Throws<ReportFormatException>(() => JunitParser.Read(stream, "bad.xml").ToList());

        Assert.Contains("invalid utf-8 byte sequence", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cases_before_a_truncation_are_yielded_then_the_error_surfaces()
    {
        using var stream = File.OpenRead(SharedData.CorpusPath("junit", "malformed", "truncated.xml"));
        var seen = new List<string>();

        var error = Assert.Throws<ReportFormatException>(() =>
        {
            foreach (var c in JunitParser.Read(stream, "truncated.xml")) seen.Add(c.Name);
        });

        Assert.Equal(["passes"], seen);
        Assert.Matches(@"^truncated\.xml:\d+:\d+: invalid XML: ", error.Message);
    }
}
