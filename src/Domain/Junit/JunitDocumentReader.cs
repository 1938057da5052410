using System.Xml;
using Seismo.Domain.Junit.Text;

namespace Seismo.Domain.Junit;

/// <summary>
/// Walks a JUnit document one node at a time, tracking the enclosing &lt;testsuite&gt; elements, and hands out
/// one test case per call. Throws <see cref="XmlException"/> for XML errors (the caller adds the file name)
/// and <see cref="ReportFormatException"/> for well-formed documents that are not acceptable JUnit.
/// </summary>
internal sealed class JunitDocumentReader : IDisposable
{
    private readonly TextReader _text;
    private readonly string _fileName;
    private readonly JunitLimits _limits;
    private XmlReader _reader = null!;     // created on the first Next(): XmlReader.Create already reads
    private ReadContext _context = null!;
    private readonly List<Suite> _suites = [];
    private readonly DeclaredTotalsBuilder _totals = new();
    private IReadOnlyList<string>? _suitePath;
    private bool _started;

    private readonly record struct Suite(int Depth, string? Name, string? File);

    private JunitDocumentReader(Stream xml, string fileName, JunitLimits limits)
    {
        _text = new CdataEscapingReader(new DecodingTextReader(xml));
        _fileName = fileName;
        _limits = limits;
    }

    /// <summary>Prepares to read; nothing is read from the stream until the first <see cref="Next"/>.</summary>
    public static JunitDocumentReader Open(Stream xml, string fileName, JunitLimits limits) => new(xml, fileName, limits);

    /// <summary>Counts the report declares about itself (root attributes, else the sum over top-level suites).</summary>
    public JunitDeclaredTotals Declared => _totals.Build();

    public JunitTestCase? Next()
    {
        if (!_started)
        {
            _started = true;
            _reader = XmlReader.Create(_text, Settings(_limits));
            _context = new ReadContext(_reader, _fileName, _limits);
            ReadRoot();
        }
        while (_reader.Read())
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    _context.CheckDepth();
                    if (_reader.LocalName == "testsuite") EnterSuite();
                    else if (_reader.LocalName == "testcase") return TestCaseReader.Read(_context, SuitePath(), NearestFile());
                    break;
                case XmlNodeType.EndElement:
                    if (_suites.Count > 0 && _suites[^1].Depth == _reader.Depth) LeaveSuite();
                    break;
            }
        }
        return null;
    }

    public void Dispose() => _reader?.Dispose();   // null when XmlReader.Create itself failed

    private static XmlReaderSettings Settings(JunitLimits limits) => new()
    {
        // Untrusted input: no DTD (so no entity expansion), nothing resolved from files or the network.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = limits.MaxCharacters,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        // Test output routinely carries ANSI colour codes as &#27; which XML 1.0 forbids; refusing the whole
        // report for that would be unhelpful. Well-formedness is still enforced.
        CheckCharacters = false,
        CloseInput = false,
    };

    private void ReadRoot()
    {
        if (_reader.MoveToContent() != XmlNodeType.Element)
            throw new ReportFormatException($"{_context.FileName} is not a JUnit report: the document has no root element");
        var name = _reader.LocalName;
        if (name is not ("testsuites" or "testsuite"))
            throw new ReportFormatException($"{_context.FileName} is not a JUnit report: root element <{Shorten(_reader.Name)}>") { IsOtherFormat = true };
        _totals.FromRoot(_reader);
        if (name == "testsuite") EnterSuite();
    }

    private void EnterSuite()
    {
        if (_reader.Depth == 1) _totals.FromTopLevelSuite(_reader);
        if (_reader.IsEmptyElement) return;
        var name = _reader.GetAttribute("name");
        _suites.Add(new Suite(
            _reader.Depth,
            string.IsNullOrEmpty(name) ? null : JunitValues.Name(name, _context.Limits.MaxMessageChars),
            JunitValues.Clip(_reader.GetAttribute("file"), _context.Limits.MaxMessageChars)));
        _suitePath = null;
    }

    private void LeaveSuite()
    {
        _suites.RemoveAt(_suites.Count - 1);
        _suitePath = null;
    }

    /// <summary>Shared by all cases of a suite, so 16,000 cases in one suite cost one array.</summary>
    private IReadOnlyList<string> SuitePath() =>
        _suitePath ??= _suites.Where(s => s.Name is not null).Select(s => s.Name!).ToArray();

    private string? NearestFile()
    {
        for (var i = _suites.Count - 1; i >= 0; i--)
            if (_suites[i].File is { } file) return file;
        return null;
    }

    private static string Shorten(string s) => s.Length <= 64 ? s : s[..64] + "…";
}
