using System.Xml;

namespace Seismo.Domain.Junit;

/// <summary>Reads one &lt;testcase&gt; element, children included, leaving the reader on its end tag.</summary>
internal static class TestCaseReader
{
    public static JunitTestCase Read(ReadContext context, IReadOnlyList<string> suitePath, string? suiteFile)
    {
        var reader = context.Reader;
        var limits = context.Limits;
        var name = JunitValues.Name(reader.GetAttribute("name"), limits.MaxMessageChars);
        // PHPUnit writes both class and classname; some xunit-style producers only class.
        var className = JunitValues.Name(reader.GetAttribute("classname") ?? reader.GetAttribute("class"), limits.MaxMessageChars);
        var file = JunitValues.Clip(reader.GetAttribute("file"), limits.MaxMessageChars) ?? suiteFile;
        var line = JunitValues.Line(reader.GetAttribute("line"));
        var duration = JunitValues.SecondsToMs(reader.GetAttribute("time"));
        var status = reader.GetAttribute("status");
        var failureAttribute = reader.GetAttribute("failure");

        var results = new CaseResults(limits);
        BoundedText? systemOut = null, systemErr = null;
        List<KeyValuePair<string, string>>? properties = null;
        if (!reader.IsEmptyElement)
        {
            var depth = reader.Depth;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth) break;
                if (reader.NodeType != XmlNodeType.Element) continue;
                context.CheckDepth();
                switch (reader.LocalName)
                {
                    case "failure" or "error":
                        var isError = reader.LocalName == "error";
                        results.Problem(isError, reader.GetAttribute("message"), reader.GetAttribute("type")).AppendElementContent(context);
                        break;
                    case "skipped":
                        ReadSkipped(context, results);
                        break;
                    case "flakyFailure" or "flakyError":
                        ReadRerun(context, results.Flaky(reader.GetAttribute("message"), reader.GetAttribute("type")));
                        break;
                    case "rerunFailure" or "rerunError":
                        results.Rerun();
                        context.SkipElement();
                        break;
                    case "system-out":
                        Collect(context, ref systemOut);
                        break;
                    case "system-err":
                        Collect(context, ref systemErr);
                        break;
                    case "properties":
                        PropertiesReader.Read(context, properties ??= []);
                        break;
                    // Anything else is walked into (its children get the same treatment) but not kept.
                }
            }
        }

        var (outcome, message, type, details) = results.Resolve(status, failureAttribute);
        return new JunitTestCase
        {
            SuitePath = suitePath,
            ClassName = className,
            Name = name,
            File = file,
            Line = line,
            DurationMs = duration,
            Outcome = outcome,
            Attempts = results.Attempts,
            Message = message,
            FailureType = type,
            Details = details,
            SystemOut = systemOut?.Build(),
            SystemErr = systemErr?.Build(),
            Properties = properties is null ? [] : properties,
        };
    }

    private static void ReadSkipped(ReadContext context, CaseResults results)
    {
        if (!results.Skip(context.Reader.GetAttribute("message")))
        {
            context.SkipElement();
            return;
        }
        var body = new BoundedText(context.Limits.MaxMessageChars);
        body.AppendElementContent(context);
        results.SkipBody(body);
    }

    /// <summary>
    /// Surefire/Gradle rerun elements hold the stack trace in a stackTrace child (older writers put it in the
    /// body) plus the run's own system-out/err, which is not the testcase's output and is dropped.
    /// </summary>
    private static void ReadRerun(ReadContext context, BoundedText? details)
    {
        var reader = context.Reader;
        if (details is null || reader.IsEmptyElement)
        {
            context.SkipElement();
            return;
        }
        var depth = reader.Depth;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.EndElement when reader.Depth == depth:
                    return;
                case XmlNodeType.Element:
                    context.CheckDepth();
                    if (reader.LocalName == "stackTrace") details.AppendElementContent(context);
                    else context.SkipElement();
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA:
                    int n;
                    while ((n = reader.ReadValueChunk(context.Scratch, 0, context.Scratch.Length)) > 0)
                        details.Append(context.Scratch.AsSpan(0, n));
                    break;
            }
        }
    }

    private static void Collect(ReadContext context, ref BoundedText? text)
    {
        text ??= new BoundedText(context.Limits.MaxOutputChars);
        text.Separate();
        text.AppendElementContent(context);
    }
}
