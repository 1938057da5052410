using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Seismo.Api.Ingest;
using Seismo.Domain.Identity;
using Seismo.Grains;
using Seismo.Grains.Runs;
using Seismo.Grains.Storage;
using Seismo.Tests.Support;

namespace Seismo.Tests.Ingest;

/// <summary>Collected runs of one project that arrive together are stored together, in order, and each caller gets its own run.</summary>
public sealed class GroupCommitTests
{
    // Key hashes are 12 bytes in hex: they make the public test ids.
    private const string Shared = "00ff00ff00ff00ff00ff00ff";

    [Fact]
    public async Task Runs_submitted_together_are_numbered_in_submission_order_and_linked_to_each_other()
    {
        await using var seismo = new SeismoFactory();
        var (projectId, key) = await seismo.CreateProjectAsync("group-commit");
        var info = await seismo.Services.GetRequiredService<IGrainFactory>().GetGrain<IProjectGrain>(projectId).GetAsync();
        var acceptor = seismo.Services.GetRequiredService<RunAcceptor>();

        // Submitted without waiting: the first finds the lane idle, the rest queue behind it and go as one batch.
        var submitted = Enumerable.Range(0, 20).Select(i => Submission(projectId, info!.AccountId, i)).ToList();
        var accepted = await Task.WhenAll(submitted.Select(acceptor.AcceptAsync));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), accepted.Select(a => a.Run.Sequence));
        Assert.Equal(submitted.Select(s => s.Metadata.RunGuid), accepted.Select(a => a.Run.Metadata.RunGuid));
        // Each run's "shared" test links to the run before it, inside a batch as across batches.
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), accepted.Select(a => a.Results.Single(r => r.KeyHash == Shared).PreviousSequence));

        var store = seismo.Services.GetRequiredService<IRunStore>();
        Assert.Equal(20, await store.LastSequenceAsync(projectId));
        var catalogue = await store.ReadCatalogAsync(projectId);
        Assert.Equal(21, catalogue.Count);
        Assert.Single(catalogue, e => e.KeyHash == Shared);

        // The fan-out got them in sequence order: the shared test has all twenty runs, newest first.
        await seismo.DrainAsync();
        var agent = seismo.ClientWithKey(key);
        foreach (var a in accepted) await agent.WaitProcessedAsync(a.Run.Metadata.Id);
        var testId = (await agent.GetFromJsonAsync<JsonElement>($"/api/tests?projectId={projectId}&search=shared"))
            .GetProperty("data")[0].GetProperty("testId").GetString()!;
        var test = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}");
        Assert.Equal(20, test.GetProperty("totalRuns").GetInt64());
        var history = await agent.GetFromJsonAsync<JsonElement>($"/api/tests/{testId}/history");
        Assert.Equal(accepted.Reverse().Select(a => a.Run.Metadata.Id), history.GetProperty("data").EnumerateArray().Select(h => h.GetProperty("runId").GetString()!));
    }

    [Fact]
    public async Task The_fan_out_completes_only_once_the_test_grain_has_applied_the_run()
    {
        await using var seismo = new SeismoFactory();
        var (projectId, _) = await seismo.CreateProjectAsync("fan-out-acknowledged");
        var grains = seismo.Services.GetRequiredService<IGrainFactory>();
        var test = grains.GetGrain<ITestGrain>(PublicIds.TestGrainKey(projectId, Shared));
        // Active first: messages to an activation in this silo queue in the order they are sent.
        Assert.Null(await test.GetAsync());

        // Hold the store's writer thread, then give the grain a turn that ends in a durable write: the grain stays
        // busy, and the run sent to it next waits in its queue.
        var release = new TaskCompletionSource();
        var held = seismo.Services.GetRequiredService<SqliteGate>().RunAsync(SqliteGate.Lane.Urgent, () => release.Task);
        var busy = test.ReplaceHistoryAsync([], 0);
        var dispatch = RunDispatcher.DispatchAsync(grains, Summary(projectId, 1), Submission(projectId, Guid.Empty, 0).Results.Take(1).ToList());

        // A fan-out that only sends would be done at once.
        await Task.WhenAny(dispatch, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.False(dispatch.IsCompleted, "the fan-out completed while the test grain could not yet apply the run");

        release.SetResult();
        await Task.WhenAll(held, busy, dispatch);
        Assert.Equal(1, (await test.GetAsync())!.TotalRuns);
    }

    private static RunSummary Summary(Guid projectId, long sequence) =>
        new(Submission(projectId, Guid.Empty, 0).Metadata, sequence, "passed", new RunCounts(1, 1, 0, 0, 0, 0));

    [Fact]
    public async Task A_batch_for_a_project_that_does_not_exist_fails_every_caller()
    {
        await using var seismo = new SeismoFactory();
        var acceptor = seismo.Services.GetRequiredService<RunAcceptor>();
        var missing = Guid.NewGuid();
        var calls = Enumerable.Range(0, 5).Select(i => acceptor.AcceptAsync(Submission(missing, Guid.NewGuid(), i))).ToList();
        foreach (var call in calls) await Assert.ThrowsAnyAsync<Exception>(() => call);
        Assert.Equal(0, await seismo.Services.GetRequiredService<IRunStore>().LastSequenceAsync(missing));
    }

    private static RunSubmission Submission(Guid projectId, Guid accountId, int i)
    {
        var guid = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;
        var metadata = new RunMetadata(guid, PublicIds.ObservationId(at, guid), projectId, accountId, null, "collect", at, null, ["pytest"],
            "ci", 0, 10, [], [], CiContext.None with { Branch = "main" }, null, null);
        TestResult Result(string title, string hash) => new("k " + title, title, title, "k", null, null, TestStatus.Passed, 1, 1, null, null, null, hash);
        return new RunSubmission(metadata, [Result("shared", Shared), Result($"only-{i}", $"{i + 1:x24}")]);
    }
}
