using System.Text;
using Seismo.Domain;
using Seismo.Domain.Junit;
using Seismo.Domain.Results;

namespace Seismo.Tests.Junit;

/// <summary>Byte-level variations of otherwise ordinary reports, and the API's contract.</summary>
public sealed class JunitInputTests
{
    private const string Body = "<testsuite name='s'>\r\n  <testcase name='Grüße 🚀' classname='c' time='0.5'/>\r\n</testsuite>\r\n";

    public static TheoryData<string, byte[]> Encodings() => new()
    {
        { "UTF-8 BOM, CRLF", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n" + Body)] },
        { "no declaration", Encoding.UTF8.GetBytes(Body) },
        { "single quotes, lowercase", Encoding.UTF8.GetBytes("<?xml version='1.0' encoding='utf-8' ?>\n" + Body) },
        { "UTF-16 LE BOM", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("<?xml version=\"1.0\" encoding=\"utf-16\"?>" + Body)] },
        { "UTF-16 BE BOM", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + Body)] },
        { "UTF-16 LE, no BOM", Encoding.Unicode.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + Body) },
        { "UTF-32 LE BOM", [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(Body)] },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Reads_every_common_encoding_and_layout(string label, byte[] document)
    {
        var only = Assert.Single(JunitTestData.Bytes(document));

        Assert.True(only.Name == "Grüße 🚀", label);
        Assert.Equal(["s"], only.SuitePath);
        Assert.Equal(("c", 500.0), (only.ClassName, only.DurationMs));
    }

    [Fact]
    public void Honours_a_declared_single_byte_encoding()
    {
        var bytes = Encoding.Latin1.GetBytes("<?xml version='1.0' encoding='ISO-8859-1'?><testsuite><testcase name='café'/></testsuite>");

        Assert.Equal("café", Assert.Single(JunitTestData.Bytes(bytes)).Name);
    }

    [Fact]
    public void Refuses_an_encoding_it_cannot_decode()
    {
        var bytes = Encoding.ASCII.GetBytes("<?xml version='1.0' encoding='x-klingon'?><testsuite/>");

        var error = Assert.Throws<ReportFormatException>(() => JunitTestData.Bytes(bytes));

        Assert.Contains("unsupported encoding \"x-klingon\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_ansi_escape_character_references_in_output()
    {
        var only = Assert.Single(JunitTestData.Inline(
            "<testsuite><testcase name='t'><system-out>&#27;[31mred&#27;[0m</system-out></testcase></testsuite>"));

        Assert.Equal("\u001b[31mred\u001b[0m", only.SystemOut);
    }

    [Fact]
    public void Reading_is_lazy_and_arguments_are_checked_up_front()
    {
        var untouched = new ThrowingStream();
        var cases = JunitParser.Read(untouched, "lazy.xml");   // nothing read yet
        Assert.Throws<IOException>(() => cases.First());

        Assert.Throws<ArgumentNullException>(() => JunitParser.Read(null!, "x.xml"));
        Assert.Throws<ArgumentException>(() => JunitParser.Read(new MemoryStream(), ""));
        Assert.Throws<ArgumentOutOfRangeException>(() => JunitParser.Read(new MemoryStream(), "x.xml", new JunitLimits { MaxDepth = 0 }));
    }

    [Fact]
    public void Yields_cases_one_by_one_as_the_document_is_read()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes(
            "<testsuite>" + string.Concat(Enumerable.Range(0, 2000).Select(i => $"<testcase name='t{i}'/>")) + "</testsuite>"));

        using var cases = JunitParser.Read(stream, "many.xml").GetEnumerator();
        Assert.True(cases.MoveNext());

        Assert.Equal("t0", cases.Current.Name);
        Assert.True(stream.Position < stream.Length, "the whole document was read before the first case");
    }

    [Fact]
    public void Depth_limit_applies_to_any_element()
    {
        const string xml = "<testsuites><testsuite name='a'><testsuite name='b'><testcase name='t'/></testsuite></testsuite></testsuites>";

        Assert.Single(JunitTestData.Inline(xml, new JunitLimits { MaxDepth = 4 }));
        var error = Assert.Throws<ReportFormatException>(() => JunitTestData.Inline(xml, new JunitLimits { MaxDepth = 3 }));
        Assert.Equal("inline.xml:1:54: elements are nested more than 3 levels deep", error.Message);
    }

    [Theory]
    [InlineData("<testsuite><testcase name='t'/></testsuite><extra/>")]
    [InlineData("<testsuite><testcase name='t'></testsuite>")]
    [InlineData("<testsuite><testcase name='t' name='u'/></testsuite>")]
    [InlineData("<testsuite><testcase name='&undefined;'/></testsuite>")]
    [InlineData("\u0000")]
    [InlineData("   ")]
    public void Malformed_documents_fail_with_the_file_name(string xml)
    {
        var error = Assert.Throws<ReportFormatException>(() => JunitTestData.Inline(xml));

        Assert.StartsWith("inline.xml", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Random damage to real reports never produces anything but a parse or a ReportFormatException.</summary>
    [Theory]
    [InlineData("surefire/TEST-org.acme.FlakyTest.xml")]
    [InlineData("jest/generated-jest-junit-options.xml")]
    [InlineData("playwright/generated-playwright-junit.xml")]
    [InlineData("node-test/generated-node-test-junit.xml")]
    public void Damaged_reports_fail_cleanly(string relativePath)
    {
        var original = File.ReadAllBytes(Support.SharedData.CorpusPath(["junit", .. relativePath.Split('/')]));
        var random = new Random(relativePath.Length);
        byte[][] inserts = [.. new[] { "<![CDATA[", "]]>", "<!--", "<", "&", "<!DOCTYPE x>", "\u00e9" }.Select(Encoding.UTF8.GetBytes), [0xFF], [0xC3]];
        for (var round = 0; round < 300; round++)
        {
            var bytes = original.ToList();
            var at = random.Next(bytes.Count);
            switch (round % 3)
            {
                case 0: bytes.RemoveRange(at, bytes.Count - at); break;
                case 1: bytes.InsertRange(at, inserts[random.Next(inserts.Length)]); break;
                default: bytes[at] = (byte)random.Next(256); break;
            }
            var error = Record.Exception(() => JunitTestData.Bytes([.. bytes]));
            Assert.True(error is null or ReportFormatException, $"round {round}: {error}");
        }
    }

    private sealed class ThrowingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("read");
        public override int Read(Span<byte> buffer) => throw new IOException("read");
    }
}
