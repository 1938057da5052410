using System.Text;
using Seismo.Domain.Junit;
using Seismo.Tests.Support;

namespace Seismo.Tests.Junit;

/// <summary>Shortcuts for reading a corpus file or an inline document.</summary>
internal static class JunitTestData
{
    public static List<JunitTestCase> Corpus(string relativePath)
    {
        using var stream = File.OpenRead(SharedData.CorpusPath(["junit", .. relativePath.Split('/')]));
        return JunitParser.Read(stream, relativePath).ToList();
    }

    public static List<JunitTestCase> Inline(string xml, JunitLimits? limits = null) => Bytes(Encoding.UTF8.GetBytes(xml), limits);

    public static List<JunitTestCase> Bytes(byte[] bytes, JunitLimits? limits = null)
    {
        using var stream = new MemoryStream(bytes);
        return JunitParser.Read(stream, "inline.xml", limits).ToList();
    }

    public static JunitTestCase Named(this IEnumerable<JunitTestCase> cases, string name) => Assert.Single(cases, c => c.Name == name);
}
