using System.Xml;

namespace Seismo.Domain.Junit;

/// <summary>
/// Streaming reader for JUnit XML in its many dialects (Ant, Surefire, Gradle, pytest, jest, vitest, Go,
/// PHPUnit, node:test, Playwright...). The document is never loaded whole and text is capped per
/// <see cref="JunitLimits"/>, so memory stays bounded whatever the upload's size.
/// </summary>
public static class JunitParser
{
    /// <summary>
    /// Lazily yields the test cases as they are read. Throws <see cref="ReportFormatException"/> naming
    /// <paramref name="fileName"/> (and line:column when known) during enumeration, on malformed XML or on a
    /// document that is not JUnit. The stream is not disposed.
    /// </summary>
    public static IEnumerable<JunitTestCase> Read(Stream xml, string fileName, JunitLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        limits ??= JunitLimits.Default;
        limits.Validate();
        return Iterate(xml, fileName, limits);
    }

    /// <summary>Reads every test case, plus the totals the report declares about itself.</summary>
    public static JunitReport ReadAll(Stream xml, string fileName, JunitLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        limits ??= JunitLimits.Default;
        limits.Validate();
        using var document = JunitDocumentReader.Open(xml, fileName, limits);
        var cases = new List<JunitTestCase>();
        while (Next(document, fileName) is { } testCase) cases.Add(testCase);
        return new JunitReport(cases, document.Declared);
    }

    private static IEnumerable<JunitTestCase> Iterate(Stream xml, string fileName, JunitLimits limits)
    {
        using var document = JunitDocumentReader.Open(xml, fileName, limits);
        while (Next(document, fileName) is { } testCase) yield return testCase;
    }

    // Kept out of the iterator: C# cannot catch around a yield.
    private static JunitTestCase? Next(JunitDocumentReader document, string fileName)
    {
        try
        {
            return document.Next();
        }
        catch (XmlException e)
        {
            throw JunitErrors.FromXml(fileName, e);
        }
    }
}
