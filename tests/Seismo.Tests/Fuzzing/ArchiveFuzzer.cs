using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using Seismo.Domain;
using Seismo.Domain.Collect;
using Seismo.Tests.Collect;
using Seismo.Tests.Support;
using Xunit.Abstractions;

namespace Seismo.Tests.Fuzzing;

/// <summary>
/// Feeds mutated collect archives to <see cref="CollectArchiveReader"/> and <see cref="CommandJsonValidator"/>.
/// Every input must end in success, a <see cref="CollectArchiveException"/> or a <see cref="ReportFormatException"/>,
/// within a time bound. Short seeded run by default; set SEISMO_FUZZ_ITERATIONS (and SEISMO_FUZZ_SEED) for long runs.
/// A failure names its seed and iteration and saves the input to the temp folder.
/// </summary>
public sealed class ArchiveFuzzer(ITestOutputHelper output)
{
    private const int ShortRunIterations = 3_000;
    private const int DefaultSeed = 20_260_415;
    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Mutated_archives_fail_only_with_archive_or_format_errors()
    {
        var seed = Mutator.SeedFromEnvironment(DefaultSeed);
        var iterations = Mutator.IterationsFromEnvironment(ShortRunIterations);
        var mutator = new Mutator(seed);
        var tarMutations = new TarMutations(mutator);
        var seeds = SeedArchives();
        var compressedSeeds = seeds.Select(s => ArchiveBuilder.Compress(s.Tar)).ToArray();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var slowest = TimeSpan.Zero;

        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var (strategy, body) = NextInput(mutator, tarMutations, seeds, compressedSeeds);
            var visitorSeed = mutator.Random.Next();
            var clock = Stopwatch.StartNew();
            string outcome;
            try
            {
                outcome = await RunOneAsync(body, new FuzzVisitor(new Random(visitorSeed))).WaitAsync(PerInputBound);
            }
            catch (Exception e)
            {
                var saved = Path.Combine(Path.GetTempPath(), $"seismo-fuzz-{seed}-{iteration}.tar.zst");
                await File.WriteAllBytesAsync(saved, body);
                Assert.Fail($"Seed {seed}, iteration {iteration} ({strategy}): {e.GetType().Name}: {e.Message}\nInput saved to {saved}\n{e}");
                throw;
            }
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            outcomes[$"{strategy} -> {outcome}"] = outcomes.GetValueOrDefault($"{strategy} -> {outcome}") + 1;
        }

        output.WriteLine($"seed {seed}, {iterations} inputs, slowest {slowest.TotalMilliseconds:F0} ms");
        foreach (var (outcome, count) in outcomes) output.WriteLine($"{count,6}  {outcome}");
        // A fuzzer whose inputs all fail the same way tests nothing: require variety.
        var kinds = outcomes.Keys.Select(k => k[(k.IndexOf("-> ", StringComparison.Ordinal) + 3)..]).Distinct().ToList();
        Assert.Contains("valid", kinds);
        Assert.True(kinds.Count >= 6, "outcomes: " + string.Join(", ", kinds));
    }

    [Fact]
    public void Mutator_is_deterministic_for_a_seed()
    {
        var input = Encoding.UTF8.GetBytes(ArchiveBuilder.ValidCommandJson);
        var first = new Mutator(7);
        var second = new Mutator(7);

        for (var i = 0; i < 50; i++) Assert.Equal(first.Mutate(input), second.Mutate(input));
    }

    private static async Task<string> RunOneAsync(byte[] body, FuzzVisitor visitor)
    {
        try
        {
            var archive = await new CollectArchiveReader().ReadAsync(new MemoryStream(body), visitor);
            var command = CommandJsonValidator.Validate(archive.CommandJson);
            return command.IsValid ? "valid" : $"command.json {command.Failure}";
        }
        catch (CollectArchiveException e)
        {
            return e.Kind.ToString();
        }
        catch (ReportFormatException)
        {
            return nameof(ReportFormatException);
        }
    }

    internal static (string Strategy, byte[] Body) NextInput(
        Mutator mutator, TarMutations tarMutations, IReadOnlyList<(byte[] Tar, string Json)> seeds, IReadOnlyList<byte[]> compressed)
    {
        var index = mutator.Random.Next(seeds.Count);
        var (tar, json) = seeds[index];
        return mutator.Random.Next(10) switch
        {
            0 => ("zstd bytes", mutator.Mutate(compressed[index])),
            1 => ("zstd splice", mutator.Splice(compressed[index], mutator.Pick(compressed))),
            2 or 3 => ("tar structure", ArchiveBuilder.Compress(tarMutations.Mutate(tar), level: 1)),
            4 => ("tar bytes", ArchiveBuilder.Compress(mutator.Mutate(tar), level: 1)),
            5 => ("tar entry splice", ArchiveBuilder.Compress(tarMutations.SpliceEntries(tar, mutator.Pick(seeds).Tar), level: 1)),
            6 => ("deep json", WithCommand(tarMutations.DeepJson())),
            7 => ("json bytes", WithCommand(mutator.Mutate(Encoding.UTF8.GetBytes(json)))),
            8 => ("random entry types", ArchiveBuilder.Compress(tarMutations.Mutate(tarMutations.Mutate(tar)), level: 1)),
            _ => ("seed", compressed[index]),
        };
    }

    private static byte[] WithCommand(string json) => WithCommand(Encoding.UTF8.GetBytes(json));

    private static byte[] WithCommand(byte[] json)
    {
        // The validator must never throw, whatever the bytes; check it directly too.
        _ = CommandJsonValidator.Validate(json);
        return new ArchiveBuilder().File("command.json", json).File("output.txt", "ok").Build(level: 1);
    }

    /// <summary>Valid archives in every tar format, with attachments taken from the shared JUnit corpus.</summary>
    internal static List<(byte[] Tar, string Json)> SeedArchives()
    {
        var corpus = Directory.GetFiles(SharedData.CorpusPath("junit"), "*.xml", SearchOption.AllDirectories)
            .Where(f => new FileInfo(f).Length is > 0 and < 64 * 1024)
            .Order(StringComparer.Ordinal)
            .ToArray();
        byte[] Corpus(int i) => File.ReadAllBytes(corpus[i * 7 % corpus.Length]);
        const string full = """
            {"command": ["npm", "test"], "user": "github-ci", "return_code": 1, "execution_time_ms": 8100,
             "executed": "2026-04-15T09:23:41.000Z", "env": {"CI": "true", "N": 3}, "tags": ["ci", "unit"]}
            """;
        return
        [
            (ArchiveBuilder.Valid().File("output.txt", "3 passed").File("attachment/junit.xml", Corpus(0)).BuildTar(), ArchiveBuilder.ValidCommandJson),
            (new ArchiveBuilder(TarEntryFormat.Gnu).Directory("./").Command(full).Directory("./attachment/")
                .File("./attachment/" + new string('l', 120) + ".xml", Corpus(1)).File("./attachment/report.json", "{\"a\":1}").BuildTar(), full),
            (ArchiveBuilder.Valid(TarEntryFormat.Ustar).BuildTar(), ArchiveBuilder.ValidCommandJson),
            (new ArchiveBuilder(TarEntryFormat.V7).Command(full).File("attachment/a.xml", Corpus(2)).BuildTar(), full),
            (ArchiveBuilder.Valid().File("README.md", "x").File("attachment/unit/a.xml", Corpus(3))
                .File("attachment/it/b.xml", Corpus(4)).File("attachment/c.yaml", "a: 1\n").BuildTar(), ArchiveBuilder.ValidCommandJson),
            (new ArchiveBuilder().Command(full).File("attachment/results.xml", Corpus(5)).File("output.txt", Corpus(6)).BuildTar(), full),
        ];
    }

    /// <summary>Reads attachments in different ways: fully async, partly sync, or not at all.</summary>
    private sealed class FuzzVisitor(Random random) : ICollectArchiveVisitor
    {
        public async ValueTask OnOutputAsync(Stream content, CancellationToken cancellationToken) =>
            await content.CopyToAsync(Stream.Null, cancellationToken);

        public async ValueTask OnAttachmentAsync(CollectAttachment attachment, CancellationToken cancellationToken)
        {
            switch (random.Next(3))
            {
                case 0: await attachment.Content.CopyToAsync(Stream.Null, cancellationToken); break;
                case 1: _ = attachment.Content.Read(new byte[random.Next(1, 4096)]); break;
                default: break;
            }
        }
    }
}
