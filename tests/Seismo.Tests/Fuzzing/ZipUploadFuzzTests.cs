using System.Net;
using System.Text;
using Seismo.Tests.Support;
using Seismo.Tests.Uploads;
using Xunit.Abstractions;

namespace Seismo.Tests.Fuzzing;

/// <summary>
/// Mutated zips (Allure results, JUnit, both; bit flips, truncation, spliced headers, rewritten entry names and
/// sizes) posted to the streaming upload: every answer is a 201 or a 4xx with the JSON error body, never a 5xx.
/// SEISMO_FUZZ_ITERATIONS and SEISMO_FUZZ_SEED set the count and the seed.
/// </summary>
public sealed class ZipUploadFuzzTests(UploadFixture fixture, ITestOutputHelper output) : IClassFixture<UploadFixture>
{
    private static readonly HashSet<HttpStatusCode> Expected = [HttpStatusCode.Created, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge];

    [Fact]
    public async Task Mutated_zips_get_only_success_or_client_errors()
    {
        var seed = Mutator.SeedFromEnvironment(20_261_124);
        var iterations = Mutator.IterationsFromEnvironment(150);
        var mutator = new Mutator(seed);
        var seeds = new[]
        {
            Zips.FromDirectory(SharedData.CorpusPath("allure", "allure2-sample")),
            Zips.FromDirectory(SharedData.CorpusPath("allure", "allure2-edge-cases")),
            Zips.Of(("r/TEST-a.xml", Zips.Junit(("com.a.T", "one", false), ("com.a.T", "two", true))), ("r/x-result.json", Zips.AllureResult("n", "s n", "failed"))),
        };
        var kit = await UploadKit.CreateAsync(fixture.Seismo);
        var seen = new SortedDictionary<HttpStatusCode, int>();
        for (var i = 0; i < iterations; i++)
        {
            var input = Mutate(mutator, seeds);
            using var response = await kit.StreamAsync(input, $"fuzz-{i}");
            seen[response.StatusCode] = seen.GetValueOrDefault(response.StatusCode) + 1;
            if (!Expected.Contains(response.StatusCode))
            {
                var saved = Path.Combine(Path.GetTempPath(), $"seismo-zip-fuzz-{seed}-{i}.zip");
                await File.WriteAllBytesAsync(saved, input);
                Assert.Fail($"seed {seed}, input {i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()} (saved to {saved})");
            }
            if (response.StatusCode != HttpStatusCode.Created) Assert.StartsWith("{\"error\":{\"code\":", await response.Content.ReadAsStringAsync());
        }
        output.WriteLine($"seed {seed}, {iterations} inputs: " + string.Join(", ", seen.Select(s => $"{(int)s.Key} x{s.Value}")));
        Assert.True(seen.ContainsKey(HttpStatusCode.Created) && seen.ContainsKey(HttpStatusCode.BadRequest), "the mutations should reach both outcomes");
    }

    private static byte[] Mutate(Mutator mutator, byte[][] seeds)
    {
        var zip = mutator.Pick(seeds);
        return mutator.Random.Next(8) switch
        {
            0 => zip,
            1 => RenameEntries(zip, mutator),
            2 => mutator.Splice(zip, mutator.Pick(seeds)),
            3 => mutator.Truncate(zip),
            _ => mutator.Mutate(zip),
        };
    }

    /// <summary>Rewrites bytes of the entry names in the local and central headers: traversal, absolute, control characters.</summary>
    private static byte[] RenameEntries(byte[] zip, Mutator mutator)
    {
        var copy = (byte[])zip.Clone();
        var replacement = Encoding.ASCII.GetBytes(mutator.Pick(new[] { "../", "/", "..\\", "C:", "\0", "//" }));
        var at = IndexOf(copy, "result"u8.ToArray(), mutator.Random.Next(Math.Max(1, copy.Length / 2)));
        if (at < 0) return mutator.Mutate(copy);
        Array.Copy(replacement, 0, copy, Math.Max(0, at - replacement.Length), Math.Min(replacement.Length, at));
        return copy;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        for (var i = from; i <= haystack.Length - needle.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        return -1;
    }
}
