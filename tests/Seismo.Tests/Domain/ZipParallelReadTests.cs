using System.Collections.Concurrent;
using Seismo.Domain.Uploads;
using Seismo.Tests.Support;
using Seismo.Tests.Uploads;

namespace Seismo.Tests.Domain;

/// <summary>
/// <see cref="ZipGuard.Read{T}"/>: files parsed ahead on several threads, then every file handed over in archive order,
/// exactly as a single reader would see them.
/// </summary>
public sealed class ZipParallelReadTests
{
    [Fact]
    public void Every_file_is_handed_over_once_in_archive_order_whatever_the_number_of_workers()
    {
        // 1,200 small result files with other files between them, enough for four shares of the parsed ones.
        var files = Enumerable.Range(0, 1500)
            .Select(i => i % 5 == 4 ? ($"other/{i}.xml", $"<x n=\"{i}\"/>") : ($"r/{i}-result.json", $"result {i}"))
            .ToArray();
        var zipPath = Write(Zips.Of(files));

        var sequential = ReadAll(zipPath, workers: 1, out var oneThread);
        var parallel = ReadAll(zipPath, workers: 4, out _);

        Assert.Equal(files.Select(f => $"{f.Item1}={f.Item2}"), sequential);
        Assert.Equal(sequential, parallel);
        Assert.Single(oneThread);
    }

    [Fact]
    public void The_first_bad_file_in_archive_order_is_the_one_reported()
    {
        var files = Enumerable.Range(0, 1200).Select(i => ($"{i}-result.json", i is 300 or 1100 ? "bad" : "fine")).ToArray();
        var zipPath = Write(Zips.Of(files));
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var refused = Assert.Throws<ZipRejectedException>(() => ZipGuard.Read<string>(zipPath, ZipLimits.Default, 4, IsResult,
                (name, content) => new StreamReader(content).ReadToEnd() is "bad" ? throw new ZipRejectedException("invalid_results", name) : name,
                (_, _, _) => { }));
            Assert.Equal("300-result.json", refused.Message);
        }
    }

    [Fact]
    public void A_failure_that_is_not_a_refusal_surfaces_as_itself_not_wrapped()
    {
        var zipPath = Write(Zips.Of(Enumerable.Range(0, 1200).Select(i => ($"{i}-result.json", "x")).ToArray()));
        Assert.Throws<InvalidOperationException>(() => ZipGuard.Read<string>(zipPath, ZipLimits.Default, 4, IsResult,
            (name, _) => name == "900-result.json" ? throw new InvalidOperationException("disk gone") : name, (_, _, _) => { }));
    }

    [Fact]
    public void An_empty_or_foreign_file_is_not_a_zip()
    {
        var zipPath = Write([]);
        Assert.Equal("not_a_zip", Assert.Throws<ZipRejectedException>(() => ReadAll(zipPath, 2, out _)).Reason);
        File.WriteAllText(zipPath, "not a zip at all");
        Assert.Equal("not_a_zip", Assert.Throws<ZipRejectedException>(() => ReadAll(zipPath, 2, out _)).Reason);
    }

    private static bool IsResult(string name) => name.EndsWith("-result.json", StringComparison.Ordinal);

    /// <summary>Each file as "path=content", taken from what was parsed ahead or from the stream, in the order handed over.</summary>
    private static List<string> ReadAll(string zipPath, int workers, out ISet<int> parseThreads)
    {
        var threads = new ConcurrentDictionary<int, bool>();
        var seen = new List<string>();
        ZipGuard.Read<string>(zipPath, ZipLimits.Default, workers, IsResult,
            (_, content) =>
            {
                threads[Environment.CurrentManagedThreadId] = true;
                return new StreamReader(content).ReadToEnd();
            },
            (name, parsed, content) =>
            {
                Assert.True(IsResult(name) ? parsed is not null && content is null : parsed is null && content is not null);
                seen.Add($"{name}={parsed ?? new StreamReader(content!).ReadToEnd()}");
            });
        parseThreads = threads.Keys.ToHashSet();
        return seen;
    }

    private static string Write(byte[] zip)
    {
        var path = Path.Combine(TempDir.Create("zip-parallel"), "u.zip");
        File.WriteAllBytes(path, zip);
        return path;
    }
}
