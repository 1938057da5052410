using System.IO.Compression;
using Seismo.Api.Ingest;
using Seismo.Domain;
using Seismo.Domain.Allure;
using Seismo.Domain.Junit;
using Seismo.Domain.Uploads;
using Seismo.Grains;

namespace Seismo.Api.Uploads;

/// <summary>What an upload held: its tests folded one per key, and counts for the session.</summary>
public sealed record UploadContents(TestResult[] Results, BuildCounts Counts, int Files, int AllureResults, int AllureContainers, int JunitReports,
    long? StartedAtMs, long? DurationMs);

/// <summary>
/// Reads an upload straight from its zip, in one pass and without extracting it: Allure results
/// (<c>*-result.json</c>, retries folded by <c>historyId</c>) and JUnit XML files at any depth; other files
/// (attachments, containers) are only checked, they are for the report. Allure and JUnit results of the same test
/// share its key, so they land on one test. A malformed result refuses the whole upload.
/// </summary>
public static class UploadResults
{
    private const int MaxStackChars = 8192;

    /// <exception cref="ZipRejectedException">The zip is unsafe or a result file cannot be read.</exception>
    public static UploadContents Read(string zipPath, ZipLimits limits)
    {
        var folder = new ResultFolder();
        var allure = new AllureTests();
        int containers = 0, junit = 0;
        long? start = null, stop = null;
        // Allure results are small files by the thousand: parsed on every core. The rest is read in archive order.
        var files = ZipGuard.Read<AllureResult>(zipPath, limits, Environment.ProcessorCount, AllureReader.IsResultFile, ReadAllure, (name, result, content) =>
        {
            if (result is not null)
            {
                allure.Add(result);
                if (result.Start is { } s) start = Math.Min(start ?? s, s);
                if (result.Stop is { } e) stop = Math.Max(stop ?? e, e);
            }
            else if (AllureReader.IsContainerFile(name)) containers++;
            else if (name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) && ReadJunit(content!, name, folder)) junit++;
        });
        foreach (var test in allure.Tests()) folder.Add(ToResult(test));
        var results = folder.Results.ToArray();
        return new UploadContents(results, CountsOf(results), files.Count, allure.ResultCount, containers, junit, start,
            start is { } a && stop is { } b && b >= a ? b - a : null);
    }

    private static AllureResult ReadAllure(string name, Stream content)
    {
        try
        {
            if (content.Length > AllureReader.MaxFileBytes)
                throw new ReportFormatException($"{name}: an Allure result over {AllureReader.MaxFileBytes} bytes is not accepted");
            return AllureReader.Read(content, name);
        }
        catch (ReportFormatException e)
        {
            throw new ZipRejectedException("invalid_results", e.Message, e);
        }
    }

    /// <summary>False for an XML file that is not JUnit (left as an attachment).</summary>
    private static bool ReadJunit(Stream xml, string name, ResultFolder folder)
    {
        try
        {
            foreach (var c in JunitParser.Read(xml, name)) folder.AddJunit(c);
            return true;
        }
        catch (ReportFormatException e) when (e.IsOtherFormat)
        {
            return false;
        }
        catch (ReportFormatException e)
        {
            throw new ZipRejectedException("invalid_results", e.Message, e);
        }
    }

    private static TestResult ToResult(AllureTest t)
    {
        var key = t.Key;
        return new TestResult(key.Value, t.Title, t.FullName, t.ClassName, null, null, ResultFolder.Map(t.Outcome), Math.Max(1, t.Attempts),
            t.DurationMs, t.Message, null, t.Trace is { Length: > MaxStackChars } trace ? trace[..MaxStackChars] : t.Trace, key.HashHex());
    }

    private static BuildCounts CountsOf(TestResult[] results)
    {
        int passed = 0, failed = 0, broken = 0, skipped = 0, flaky = 0;
        foreach (var r in results)
        {
            switch (r.Status)
            {
                case TestStatus.Passed: passed++; break;
                case TestStatus.Failed: failed++; break;
                case TestStatus.Error: broken++; break;
                case TestStatus.Skipped: skipped++; break;
                case TestStatus.Flaky: flaky++; break;
            }
        }
        return new BuildCounts(results.Length, passed, failed, broken, skipped, flaky);
    }
}
