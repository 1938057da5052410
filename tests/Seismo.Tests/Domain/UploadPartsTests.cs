using System.IO.Compression;
using Seismo.Domain;
using Seismo.Domain.Allure;
using Seismo.Domain.Identity;
using Seismo.Domain.Results;
using Seismo.Domain.Uploads;
using Seismo.Tests.Support;
using Seismo.Tests.Uploads;

namespace Seismo.Tests.Domain;

/// <summary>The pure parts of uploads: zip checks, chunk bookkeeping and the Allure result reader.</summary>
public sealed class UploadPartsTests
{
    [Theory]
    [InlineData("a/b/c-result.json", "a/b/c-result.json")]
    [InlineData("./a//b.xml", "a/b.xml")]
    [InlineData("a\\b.xml", "a/b.xml")]
    public void Safe_paths_are_normalised(string name, string expected) => Assert.Equal(expected, ZipGuard.SafePath(name, ZipLimits.Default));

    [Theory]
    [InlineData("../x", "path_traversal")]
    [InlineData("a/../../x", "path_traversal")]
    [InlineData("a\\..\\..\\x", "path_traversal")]
    [InlineData("/etc/passwd", "absolute_path")]
    [InlineData("\\\\server\\share\\x", "absolute_path")]
    [InlineData("D:\\x", "absolute_path")]
    [InlineData("a\u0000b", "invalid_name")]
    public void Unsafe_paths_are_refused(string name, string reason) =>
        Assert.Equal(reason, Assert.Throws<ZipRejectedException>(() => ZipGuard.SafePath(name, ZipLimits.Default)).Reason);

    [Fact]
    public void Entry_count_total_size_and_ratio_caps_apply()
    {
        var many = Zips.Of(Enumerable.Range(0, 11).Select(i => ($"f{i}.txt", "x")).ToArray());
        Assert.Equal("too_many_entries", Inspect(many, ZipLimits.Default with { MaxEntries = 10 }).Reason);
        var big = Zips.Of(("a.txt", new string('a', 5000)), ("b.txt", new string('b', 5000)));
        Assert.Equal("too_large", Inspect(big, ZipLimits.Default with { MaxUncompressedBytes = 8000 }).Reason);
        var dense = Zips.Of(("z.txt", new string('z', 100_000)));
        Assert.Equal("compression_ratio", Inspect(dense, ZipLimits.Default with { MaxCompressionRatio = 10, RatioFloorBytes = 1000 }).Reason);
        var duplicate = Zips.Of(("a.txt", "1"), ("A.txt", "2"));
        Assert.Equal("duplicate_entry", Inspect(duplicate, ZipLimits.Default).Reason);
        Assert.Equal(["ok/a.txt"], InspectOk(Zips.Of(("ok/a.txt", "fine"))));
    }

    [Fact]
    public void Extraction_writes_only_under_the_target()
    {
        var dir = TempDir.Create("zipguard");
        var zipPath = Path.Combine(dir, "u.zip");
        File.WriteAllBytes(zipPath, Zips.Of(("r/a-result.json", "{}"), ("r/deep/b.xml", "<testsuite/>")));
        var target = Path.Combine(dir, "out");
        Assert.Equal(["r/a-result.json", "r/deep/b.xml"], ZipGuard.Extract(zipPath, target, ZipLimits.Default));
        Assert.True(File.Exists(Path.Combine(target, "r", "deep", "b.xml")));
        File.WriteAllText(zipPath, "not a zip");
        Assert.Equal("not_a_zip", Assert.Throws<ZipRejectedException>(() => ZipGuard.Extract(zipPath, Path.Combine(dir, "out2"), ZipLimits.Default)).Reason);
    }

    [Fact]
    public void Chunk_ledger_accepts_any_order_and_resends_and_refuses_the_rest()
    {
        var received = new Dictionary<int, ChunkMark>();
        var a = new ChunkMark(4, "aa");
        Assert.Equal(ChunkVerdict.Accepted, ChunkLedger.Judge(received, 10, 3, 2, 3, a));
        received[2] = a;
        Assert.Equal(ChunkVerdict.Duplicate, ChunkLedger.Judge(received, 10, 3, 2, 3, a));
        Assert.Equal(ChunkVerdict.Conflict, ChunkLedger.Judge(received, 10, 3, 2, 3, new ChunkMark(4, "bb")));
        Assert.Equal(ChunkVerdict.IndexOutOfRange, ChunkLedger.Judge(received, 10, 3, 3, 3, a));
        Assert.Equal(ChunkVerdict.IndexOutOfRange, ChunkLedger.Judge(received, 10, 3, -1, 3, a));
        Assert.Equal(ChunkVerdict.TotalMismatch, ChunkLedger.Judge(received, 10, 3, 0, 4, a));
        Assert.Equal(ChunkVerdict.BeyondTotalSize, ChunkLedger.Judge(received, 10, 3, 0, 3, new ChunkMark(7, "cc")));
        Assert.Equal([0, 1], ChunkLedger.Missing(received, 3));
        Assert.Equal(6, ChunkLedger.Room(received, 10));
        received[0] = new ChunkMark(3, "dd");
        received[1] = new ChunkMark(2, "ee");
        Assert.Contains("9 bytes", ChunkLedger.CompletionProblem(received, 10, 3));
        received[1] = new ChunkMark(3, "ee");
        Assert.Null(ChunkLedger.CompletionProblem(received, 10, 3));
    }

    [Fact]
    public void Every_allure_result_of_the_corpus_reads_and_lands_on_its_key()
    {
        foreach (var dir in Directory.GetDirectories(SharedData.CorpusPath("allure")))
        {
            var tests = new AllureTests();
            foreach (var file in Directory.GetFiles(dir, "*-result.json"))
            {
                using var json = File.OpenRead(file);
                var result = AllureReader.Read(json, Path.GetFileName(file));
                Assert.Equal(TestKeys.FromAllure(result.FullName, result.Name, result.Labels), AllureTests.Fold([result]).Key);
                tests.Add(result);
            }
            Assert.True(tests.Tests().Any(), dir);
        }
    }

    [Fact]
    public void Statuses_flaky_marker_steps_and_retries_fold_into_one_test()
    {
        var edge = SharedData.CorpusPath("allure", "allure2-edge-cases");
        Assert.Equal(AllureStatus.Unknown, Read(Path.Combine(edge, "invalid-status-result.json")).Status);
        Assert.Equal(AllureStatus.Unknown, Read(Path.Combine(edge, "no-status-result.json")).Status);
        Assert.Equal(TestOutcome.Flaky, AllureTests.Fold([Read(Path.Combine(edge, "flaky-result.json"))]).Outcome);
        Assert.Equal(TestOutcome.Passed, AllureTests.Fold([Read(Path.Combine(edge, "flaky-false-result.json"))]).Outcome);

        var failed = Parse(Zips.AllureResult("t", "s t", "broken", "h", 100, "[]",
            ""","steps":[{"name":"outer","status":"broken","steps":[{"name":"inner","status":"broken","statusDetails":{"message":"db down","trace":"at Db"}}]}]"""));
        var passed = Parse(Zips.AllureResult("t", "s t", "passed", "h", 200));
        var folded = AllureTests.Fold([passed, failed]);
        Assert.Equal(TestOutcome.Flaky, folded.Outcome);
        Assert.Equal(2, folded.Attempts);
        Assert.Equal("db down", folded.Message);
        Assert.Contains("inner", folded.Trace);
        Assert.Equal(TestOutcome.Error, AllureTests.Fold([failed]).Outcome);

        Assert.Throws<ReportFormatException>(() => Parse("[1,2]"));
        Assert.Throws<ReportFormatException>(() => Parse("{\"name\":"));
    }

    private static AllureResult Read(string path)
    {
        using var json = File.OpenRead(path);
        return AllureReader.Read(json, Path.GetFileName(path));
    }

    private static AllureResult Parse(string json) => AllureReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "x-result.json");

    private static ZipRejectedException Inspect(byte[] zip, ZipLimits limits)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return Assert.Throws<ZipRejectedException>(() => ZipGuard.Inspect(archive, limits));
    }

    private static IReadOnlyList<string> InspectOk(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return ZipGuard.Inspect(archive, ZipLimits.Default);
    }
}
