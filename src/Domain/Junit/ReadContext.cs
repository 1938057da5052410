using System.Xml;

namespace Seismo.Domain.Junit;

/// <summary>What the readers of one document share: the XML reader, limits, a scratch buffer and error reporting.</summary>
internal sealed class ReadContext(XmlReader reader, string fileName, JunitLimits limits)
{
    public XmlReader Reader { get; } = reader;

    public JunitLimits Limits { get; } = limits;

    public string FileName { get; } = fileName;

    /// <summary>Chunk buffer for ReadValueChunk; text is never pulled from the reader in larger pieces.</summary>
    public char[] Scratch { get; } = new char[4096];

    /// <summary>Called on every element: XmlReader itself is not recursive, but its node stack grows with depth.</summary>
    public void CheckDepth()
    {
        if (Reader.Depth >= Limits.MaxDepth)
            throw Fail($"elements are nested more than {Limits.MaxDepth} levels deep");
    }

    /// <summary>Moves past the current element's content without keeping any of it.</summary>
    public void SkipElement()
    {
        if (Reader.NodeType != XmlNodeType.Element || Reader.IsEmptyElement) return;
        var depth = Reader.Depth;
        while (Reader.Read())
        {
            if (Reader.NodeType == XmlNodeType.Element) CheckDepth();
            else if (Reader.NodeType == XmlNodeType.EndElement && Reader.Depth == depth) return;
        }
    }

    public ReportFormatException Fail(string reason)
    {
        var info = Reader as IXmlLineInfo;
        return new ReportFormatException(JunitErrors.Format(FileName, info?.LineNumber ?? 0, info?.LinePosition ?? 0, reason));
    }
}
