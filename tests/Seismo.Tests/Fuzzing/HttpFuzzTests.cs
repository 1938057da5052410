using System.Net;
using Seismo.Tests.Collect;
using Seismo.Tests.Support;
using Xunit.Abstractions;

namespace Seismo.Tests.Fuzzing;

/// <summary>
/// The same mutated archives as <see cref="ArchiveFuzzer"/>, posted through HTTP to a running Seismo: every answer
/// is a success or a 4xx with the JSON error body, never a 5xx. SEISMO_FUZZ_ITERATIONS sets the count.
/// </summary>
public sealed class HttpFuzzTests(SeismoFixture fixture, ITestOutputHelper output) : IClassFixture<SeismoFixture>
{
    private static readonly HashSet<HttpStatusCode> Expected =
    [
        HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge,
        HttpStatusCode.UnsupportedMediaType, HttpStatusCode.UnprocessableEntity,
    ];

    [Fact]
    public async Task Mutated_archives_over_http_get_only_success_or_client_errors()
    {
        var seed = Mutator.SeedFromEnvironment(20_261_124);
        var iterations = Mutator.IterationsFromEnvironment(600);
        var mutator = new Mutator(seed);
        var tarMutations = new TarMutations(mutator);
        var seeds = ArchiveFuzzer.SeedArchives();
        var compressed = seeds.Select(s => ArchiveBuilder.Compress(s.Tar)).ToArray();
        var (_, key) = await fixture.Seismo.CreateProjectAsync("fuzz");
        var client = fixture.Seismo.ClientWithKey(key);
        var seen = new SortedDictionary<HttpStatusCode, int>();

        for (var i = 0; i < iterations; i++)
        {
            var (strategy, body) = ArchiveFuzzer.NextInput(mutator, tarMutations, seeds, compressed);
            using var response = await client.PostArchiveAsync(body);
            seen[response.StatusCode] = seen.GetValueOrDefault(response.StatusCode) + 1;
            if (!Expected.Contains(response.StatusCode))
            {
                var saved = Path.Combine(Path.GetTempPath(), $"seismo-http-fuzz-{seed}-{i}.tar.zst");
                await File.WriteAllBytesAsync(saved, body);
                Assert.Fail($"seed {seed}, input {i} ({strategy}) answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()} (saved to {saved})");
            }
            if (response.StatusCode != HttpStatusCode.OK)
                Assert.StartsWith("{\"error\":{\"code\":", await response.Content.ReadAsStringAsync());
        }
        output.WriteLine($"seed {seed}, {iterations} inputs: " + string.Join(", ", seen.Select(s => $"{(int)s.Key} x{s.Value}")));
        Assert.True(seen.Count >= 3, "the mutations should reach several outcomes");
    }
}
