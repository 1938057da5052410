using System.Text;
using System.Xml;
using Seismo.Domain.Junit.Text;
using Seismo.Tests.Support;

namespace Seismo.Tests.Junit;

public sealed class CdataEscapingReaderTests
{
    [Theory]
    [InlineData("<a><![CDATA[x<y&z>]]></a>", "<a>x&lt;y&amp;z&gt;</a>")]
    [InlineData("<a><![CDATA[]]></a>", "<a></a>")]
    [InlineData("<a><![CDATA[a]]]]><![CDATA[>b]]></a>", "<a>a]]&gt;b</a>")]
    [InlineData("<a><![CDATA[a]]]></a>", "<a>a]</a>")]
    [InlineData("<a><![CDATA[]]]]]]></a>", "<a>]]]]</a>")]
    [InlineData("<a><!-- <![CDATA[ ]]> --></a>", "<a><!-- <![CDATA[ ]]> --></a>")]
    [InlineData("<?pi <![CDATA[ ?><a/>", "<?pi <![CDATA[ ?><a/>")]
    [InlineData("<a>\n    <![CDATA[body]]>\n  </a>", "<a>body\n  </a>")]
    [InlineData("<a>text <![CDATA[body]]></a>", "<a>text body</a>")]
    [InlineData("<a b='x > y'>\n<c/></a>", "<a b='x > y'>\n<c/></a>")]
    [InlineData("<!-- x --><a><!---->\n<![CDATA[<]]></a>", "<!-- x --><a><!---->\n&lt;</a>")]
    [InlineData("<a><![CDATA[unterminated", "<a>unterminated")]
    [InlineData("<a><![CDA", "<a><![CDA")]
    public void Rewrites_cdata_sections_and_leaves_everything_else(string input, string expected)
    {
        Assert.Equal(expected, Filter(input, trickle: false));
        Assert.Equal(expected, Filter(input, trickle: true));
    }

    [Fact]
    public void Refuses_a_doctype()
    {
        var error = Assert.Throws<XmlException>(() => Filter("<?xml version='1.0'?>\n<!DOCTYPE a [<!ENTITY x 'y'>]><a/>", false));

        Assert.Contains("DTD", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> WellFormedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var path in JunitCorpusTests.CorpusFiles().Where(p => !JunitCorpusTests.IsMalformed(p))) data.Add(path);
        return data;
    }

    /// <summary>XmlReader sees the same elements, attributes and (trimmed) text with and without the rewrite.</summary>
    [Theory]
    [MemberData(nameof(WellFormedFiles))]
    public void Corpus_files_read_the_same_through_the_rewrite_even_one_byte_at_a_time(string relativePath)
    {
        var path = SharedData.CorpusPath(["junit", .. relativePath.Split('/')]);
        using var direct = XmlReader.Create(File.OpenRead(path), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, CloseInput = true });
        using var trickle = new TrickleStream(File.ReadAllBytes(path));
        using var rewritten = XmlReader.Create(new CdataEscapingReader(new DecodingTextReader(trickle)),
            new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });

        Assert.Equal(Describe(direct), Describe(rewritten));
    }

    private static List<string> Describe(XmlReader reader)
    {
        var items = new List<string>();
        var text = new StringBuilder();
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    Flush();
                    var element = new StringBuilder("<" + reader.Name);
                    for (var more = reader.MoveToFirstAttribute(); more; more = reader.MoveToNextAttribute())
                        element.Append($" {reader.Name}={reader.Value}");
                    reader.MoveToElement();
                    items.Add(element.ToString());
                    break;
                case XmlNodeType.EndElement:
                    Flush();
                    items.Add("</" + reader.Name);
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(reader.Value);
                    break;
            }
        }
        return items;

        void Flush()
        {
            var value = text.ToString().Trim();
            if (value.Length > 0) items.Add(value);
            text.Clear();
        }
    }

    private static string Filter(string input, bool trickle)
    {
        using var reader = new CdataEscapingReader(trickle ? new TrickleReader(input) : new StringReader(input));
        var output = new StringBuilder();
        var buffer = new char[trickle ? 3 : 4096];
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0) output.Append(buffer, 0, n);
        return output.ToString();
    }

    /// <summary>Hands out one character per read, so every state change lands on a buffer boundary.</summary>
    private sealed class TrickleReader(string text) : TextReader
    {
        private int _position;

        public override int Read(char[] buffer, int index, int count)
        {
            if (_position == text.Length || count == 0) return 0;
            buffer[index] = text[_position++];
            return 1;
        }
    }

    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, 1)]);
    }
}
