using System.Diagnostics;
using System.Formats.Tar;
using System.Xml;
using Microsoft.Extensions.Options;
using Seismo.Api.Ingest;
using Seismo.Domain.Collect;
using ZstdSharp;

namespace Seismo.Bench;

/// <summary>How fast the same archives decompress and parse in-process on two threads, with no server around them.</summary>
internal static class ParseCeiling
{
    public sealed record Result(double RawResultsPerSecond, double FullResultsPerSecond);

    public static Result Measure(IReadOnlyList<byte[]> archives, TimeSpan duration)
    {
        var raw = Rate(archives, duration, RawCount);
        var parser = new CollectParser(CollectArchiveLimits.Default);
        var full = Rate(archives, duration, a => parser.ParseAsync(new MemoryStream(a), CancellationToken.None).GetAwaiter().GetResult().Results.Length);
        return new Result(raw, full);
    }

    private static double Rate(IReadOnlyList<byte[]> archives, TimeSpan duration, Func<byte[], int> parse)
    {
        long results = 0;
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            for (var i = t; clock.Elapsed < duration; i++) Interlocked.Add(ref results, parse(archives[i % archives.Count]));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return results / clock.Elapsed.TotalSeconds;
    }

    // ZstdSharp + TarReader + XmlReader and nothing else: count the testcase elements.
    private static int RawCount(byte[] archive)
    {
        using var zstd = new DecompressionStream(new MemoryStream(archive));
        using var tar = new TarReader(zstd);
        var count = 0;
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null || !entry.Name.EndsWith(".xml", StringComparison.Ordinal)) continue;
            using var xml = XmlReader.Create(entry.DataStream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            while (xml.Read()) if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "testcase") count++;
        }
        return count;
    }
}
