using Seismo.Grains;
using Seismo.Grains.Hosting;
using Seismo.Grains.Storage;
using Seismo.Tests.Support;

namespace Seismo.Tests.Storage;

/// <summary>
/// The run log's contract, run against both stores: the embedded SQLite one and the cluster's PostgreSQL one
/// (the latter only where a PostgreSQL server can be started).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RunStoreContractTests(PostgresFixture fixture)
{
    public static TheoryData<string> Stores()
    {
        var stores = new TheoryData<string> { "sqlite" };
        if (PostgresServer.UnavailableReason is null) stores.Add("postgres");
        return stores;
    }

    private static readonly DateTimeOffset T0 = new(2026, 4, 15, 9, 23, 41, 123, TimeSpan.Zero);

    [Theory, MemberData(nameof(Stores))]
    public async Task An_appended_run_reads_back_by_id_and_by_sequence(string kind)
    {
        var store = await CreateAsync(kind);
        var project = Guid.NewGuid();
        var results = new[] { Result("a", TestStatus.Passed), Result("b ünïcödé", TestStatus.Failed) };
        var run = Run(project, 1, "failed", "main", results);
        await store.AppendAsync(run, results, []);

        var stored = await store.GetAsync(run.Metadata.RunGuid);
        Assert.NotNull(stored);
        Assert.Equal(results, stored.Results);
        AssertSame(run, stored.Summary);
        AssertSame(run, (await store.GetSummaryAsync(run.Metadata.RunGuid))!);
        var bySequence = await store.GetBySequenceAsync(project, 1);
        Assert.Equal(results, bySequence!.Results);
        Assert.Null(await store.GetAsync(Guid.NewGuid()));
        Assert.Null(await store.GetSummaryAsync(Guid.NewGuid()));
        Assert.Null(await store.GetBySequenceAsync(project, 2));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Listing_is_newest_first_filters_and_pages(string kind)
    {
        var store = await CreateAsync(kind);
        var project = Guid.NewGuid();
        var other = Guid.NewGuid();
        for (var seq = 1; seq <= 6; seq++)
        {
            var run = Run(project, seq, seq % 2 == 0 ? "passed" : "failed", seq <= 3 ? "main" : null, []);
            await store.AppendAsync(run, [], []);
        }
        await store.AppendAsync(Run(other, 1, "passed", "main", []), [], []);

        Assert.Equal([6L, 5, 4, 3, 2, 1], (await store.ListAsync(project, null, null, 10, 0)).Select(r => r.Sequence));
        Assert.Equal([6L, 4, 2], (await store.ListAsync(project, "passed", null, 10, 0)).Select(r => r.Sequence));
        Assert.Equal([3L, 2, 1], (await store.ListAsync(project, null, "main", 10, 0)).Select(r => r.Sequence));
        Assert.Equal([2L], (await store.ListAsync(project, "passed", "main", 10, 0)).Select(r => r.Sequence));
        Assert.Equal([4L, 3], (await store.ListAsync(project, null, null, 2, 2)).Select(r => r.Sequence));
        Assert.Empty(await store.ListAsync(project, "error", null, 10, 0));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Replay_reads_runs_after_a_sequence_in_order(string kind)
    {
        var store = await CreateAsync(kind);
        var project = Guid.NewGuid();
        Assert.Equal(0, await store.LastSequenceAsync(project));
        for (var seq = 1; seq <= 5; seq++)
        {
            var results = new[] { Result($"t{seq}", TestStatus.Passed) };
            await store.AppendAsync(Run(project, seq, "passed", null, results), results, []);
        }
        var replay = new List<StoredRun>();
        await foreach (var run in store.ReadAfterAsync(project, 2)) replay.Add(run);
        Assert.Equal([3L, 4, 5], replay.Select(r => r.Summary.Sequence));
        Assert.Equal("t4", replay[1].Results.Single().Key);
        Assert.Equal(5, await store.LastSequenceAsync(project));
        Assert.Contains(project, await store.ProjectsWithRunsAsync());
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task The_catalogue_keeps_the_first_sighting_of_each_test(string kind)
    {
        var store = await CreateAsync(kind);
        var project = Guid.NewGuid();
        var first = new CatalogEntry("h1", "com.acme.A one", "one", "A one", "src/a.ts", T0);
        var second = new CatalogEntry("h2", "com.acme.A two", "two", null, null, T0.AddMinutes(1));
        await store.AppendAsync(Run(project, 1, "passed", null, []), [], [first]);
        await store.AppendAsync(Run(project, 2, "passed", null, []), [], [second, first with { Title = "renamed", FirstSeen = T0.AddDays(1) }]);

        var catalogue = (await store.ReadCatalogAsync(project)).OrderBy(e => e.KeyHash).ToList();
        Assert.Equal([first, second], catalogue);
        Assert.Empty(await store.ReadCatalogAsync(Guid.NewGuid()));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_run_that_takes_a_used_sequence_is_refused_whole(string kind)
    {
        var store = await CreateAsync(kind);
        var project = Guid.NewGuid();
        await store.AppendAsync(Run(project, 1, "passed", null, []), [], []);

        var clash = Run(project, 1, "failed", null, []);
        await Assert.ThrowsAnyAsync<Exception>(() => store.AppendAsync(clash, [], [new CatalogEntry("h9", "k", "t", null, null, T0)]));
        Assert.Null(await store.GetAsync(clash.Metadata.RunGuid));
        Assert.Empty(await store.ReadCatalogAsync(project));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Runs_appended_together_are_all_stored_in_order(string kind)
    {
        var store = await CreateAsync(kind);
        var project = Guid.NewGuid();
        var batch = Enumerable.Range(1, 3).Select(seq =>
        {
            var results = new[] { Result("shared", TestStatus.Passed), Result($"only-{seq}", TestStatus.Failed) };
            // The second run's upload is not kept with it (it went to the archive store).
            return new RunAppend(Run(project, seq, "failed", "main", results), results,
                [new CatalogEntry($"h{seq}", $"k{seq}", $"t{seq}", null, null, T0.AddSeconds(seq))], seq == 2 ? null : [(byte)seq, 0x28, 0xb5]);
        }).ToList();

        await store.AppendAsync(batch);

        Assert.Equal(3, await store.LastSequenceAsync(project));
        for (var i = 0; i < batch.Count; i++)
        {
            var stored = await store.GetBySequenceAsync(project, i + 1);
            AssertSame(batch[i].Run, stored!.Summary);
            Assert.Equal(batch[i].Results, stored.Results);
        }
        Assert.Equal(["h1", "h2", "h3"], (await store.ReadCatalogAsync(project)).Select(e => e.KeyHash).Order());
        Assert.Equal([1, 0x28, 0xb5], await store.ReadArchiveAsync(batch[0].Run.Metadata.RunGuid));
        Assert.Null(await store.ReadArchiveAsync(batch[1].Run.Metadata.RunGuid));

        // An archive goes with its run, and all of a project's with the project.
        await store.DeleteRunsAsync(project, [batch[0].Run.Metadata.RunGuid]);
        Assert.Null(await store.ReadArchiveAsync(batch[0].Run.Metadata.RunGuid));
        Assert.Equal([3, 0x28, 0xb5], await store.ReadArchiveAsync(batch[2].Run.Metadata.RunGuid));
        await store.DeleteProjectAsync(project);
        Assert.Null(await store.ReadArchiveAsync(batch[2].Run.Metadata.RunGuid));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Runs_appended_together_are_refused_together(string kind)
    {
        var store = await CreateAsync(kind);
        var project = Guid.NewGuid();
        await store.AppendAsync(Run(project, 3, "passed", null, []), [], []);

        // The last run of the batch takes a used sequence: the two before it are not stored either.
        var batch = new[] { 1L, 2, 3 }.Select(seq => new RunAppend(Run(project, seq, "passed", null, []), [],
            [new CatalogEntry($"h{seq}", "k", "t", null, null, T0)], [(byte)seq])).ToList();
        await Assert.ThrowsAnyAsync<Exception>(() => store.AppendAsync(batch));

        foreach (var b in batch)
        {
            Assert.Null(await store.GetAsync(b.Run.Metadata.RunGuid));
            Assert.Null(await store.ReadArchiveAsync(b.Run.Metadata.RunGuid));
        }
        Assert.Empty(await store.ReadCatalogAsync(project));
        Assert.Equal(3, await store.LastSequenceAsync(project));
    }

    private async Task<IRunStore> CreateAsync(string kind)
    {
        IRunStore store;
        if (kind == "sqlite")
        {
            var dir = TempDir.Create("seismo-runstore");
            var cs = SeismoSiloHosting.SqliteConnectionString(dir);
            await SchemaInstaller.ApplySqliteAsync(cs, CancellationToken.None);
            store = new SqliteRunStore(cs, new SqliteGate());
        }
        else
        {
            store = new PostgresRunStore(await fixture.Server.CreateDatabaseAsync("runs_" + Guid.NewGuid().ToString("N")));
        }
        await store.InitializeAsync();
        return store;
    }

    private static void AssertSame(RunSummary expected, RunSummary actual)
    {
        Assert.Equal(expected.Metadata.RunGuid, actual.Metadata.RunGuid);
        Assert.Equal(expected.Metadata.Id, actual.Metadata.Id);
        Assert.Equal(expected.Metadata.CreatedAt, actual.Metadata.CreatedAt);
        Assert.Equal(expected.Metadata.Ci, actual.Metadata.Ci);
        Assert.Equal(expected.Sequence, actual.Sequence);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Counts, actual.Counts);
    }

    private static TestResult Result(string key, TestStatus status) =>
        new(key, key, key, "com.acme", null, null, status, 1, 1.5, null, null, null, "hash-" + key, 0);

    private static RunSummary Run(Guid project, long sequence, string status, string? branch, TestResult[] results)
    {
        var guid = Guid.NewGuid();
        var metadata = new RunMetadata(guid, $"obs-{guid:N}", project, Guid.NewGuid(), null, "collect", T0.AddSeconds(sequence), null, ["pytest"],
            null, 0, 10, [], [], CiContext.None with { Branch = branch }, null, null);
        return new RunSummary(metadata, sequence, status, RunCounts.Of(results));
    }
}
