using Seismo.Domain;
using Seismo.Domain.Junit;
using Seismo.Domain.Results;
using Seismo.Tests.Support;

namespace Seismo.Tests.Junit;

/// <summary>Memory stays bounded: large reports stream, over-long text is dropped as it is read.</summary>
public sealed class JunitResourceTests
{
    private const long FiftyMegabytes = 50L * 1024 * 1024;

    [Fact]
    public void Sixteen_thousand_cases_stream_with_bounded_allocation()
    {
        var path = SharedData.CorpusPath("junit", "vitest", "generated-vitest-junit-large.xml");
        using var stream = File.OpenRead(path);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var (cases, failed, skipped) = (0, 0, 0);
        foreach (var c in JunitParser.Read(stream, "large.xml"))
        {
            cases++;
            if (c.Outcome == TestOutcome.Failed) failed++;
            if (c.Outcome == TestOutcome.Skipped) skipped++;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((16000, 160, 300), (cases, failed, skipped));
        // About 3.5x the file today: the strings handed out plus per-case bookkeeping. Any buffer allocated per
        // case (a 4K-char scratch array, say: 16,000 x 8 KB = 128 MB) would blow this.
        Assert.InRange(allocated, 0, 6 * new FileInfo(path).Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_fifty_megabyte_failure_body_is_truncated_without_being_held(bool asCdata)
    {
        var (open, line, close) = asCdata
            ? ("<![CDATA[", "at Some.Frame(File.java:1) <x> & more\n", "]]>")
            : ("", "at Some.Frame(File.java:1) &lt;x&gt; &amp; more\n", "");
        using var stream = new GeneratedXmlStream(
            $"<testsuite name='big'><testcase name='huge' classname='C'><failure message='boom'>{open}",
            line, FiftyMegabytes / line.Length, $"{close}</failure></testcase></testsuite>");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var only = Assert.Single(JunitParser.Read(stream, "huge.xml"));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(TestOutcome.Failed, only.Outcome);
        Assert.Equal("boom", only.Message);
        Assert.NotNull(only.Details);
        Assert.Equal(JunitLimits.Default.MaxDetailChars, only.Details.Length);
        Assert.StartsWith("at Some.Frame(File.java:1) <x> & more\n", only.Details, StringComparison.Ordinal);
        Assert.EndsWith("[truncated]", only.Details, StringComparison.Ordinal);
        Assert.InRange(allocated, 0, 2L * 1024 * 1024);
    }

    [Fact]
    public void A_fifty_megabyte_system_out_is_truncated_to_its_own_limit()
    {
        var limits = JunitLimits.Default with { MaxOutputChars = 1000 };
        using var stream = new GeneratedXmlStream(
            "<testsuites><testsuite name='s'><testcase name='chatty'><system-out><![CDATA[", "log line\n",
            FiftyMegabytes / 9, "]]></system-out></testcase></testsuite></testsuites>");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var only = Assert.Single(JunitParser.Read(stream, "chatty.xml", limits));

        Assert.Equal(1000, only.SystemOut?.Length);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 2L * 1024 * 1024);
    }

    [Fact]
    public void A_document_over_the_character_limit_is_refused()
    {
        var limits = JunitLimits.Default with { MaxCharacters = 100_000 };
        using var stream = new GeneratedXmlStream("<testsuite name='s'>", "<testcase name='t'/>", 10_000, "</testsuite>");

        var error = Assert.Throws<ReportFormatException>(() => JunitParser.Read(stream, "long.xml", limits).ToList());

        Assert.StartsWith("long.xml:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_attributes_are_capped_at_the_message_limit()
    {
        var limits = JunitLimits.Default with { MaxMessageChars = 100 };
        var message = new string('m', 5000);
        using var stream = new GeneratedXmlStream(
            $"<testsuite><testcase name='{new string('n', 300)}'><failure message='{message}'/><properties>", "<property name='k' value='v'/>",
            1000, "</properties></testcase></testsuite>");

        var only = Assert.Single(JunitParser.Read(stream, "attrs.xml", limits));

        Assert.Equal(100, only.Message?.Length);
        Assert.Equal(100, only.Name.Length);
        Assert.Equal(JunitLimits.Default.MaxProperties, only.Properties.Count);
    }
}
