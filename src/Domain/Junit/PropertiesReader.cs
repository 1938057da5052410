using System.Xml;

namespace Seismo.Domain.Junit;

/// <summary>Reads testcase-level &lt;properties&gt;: name/value pairs, the value as attribute or as element text.</summary>
internal static class PropertiesReader
{
    public static void Read(ReadContext context, List<KeyValuePair<string, string>> into)
    {
        var reader = context.Reader;
        var limits = context.Limits;
        if (reader.IsEmptyElement) return;
        var depth = reader.Depth;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth) return;
            if (reader.NodeType != XmlNodeType.Element) continue;
            context.CheckDepth();
            var name = reader.LocalName == "property" ? JunitValues.Clip(reader.GetAttribute("name"), limits.MaxMessageChars) : null;
            if (name is null || into.Count >= limits.MaxProperties)
            {
                context.SkipElement();
                continue;
            }
            var value = JunitValues.Clip(reader.GetAttribute("value"), limits.MaxMessageChars);
            if (value is null)
            {
                // Playwright writes long annotation values as element text.
                var text = new BoundedText(limits.MaxMessageChars);
                text.AppendElementContent(context);
                value = text.Build();
            }
            else
            {
                context.SkipElement();
            }
            into.Add(new(name, value ?? ""));
        }
    }
}
