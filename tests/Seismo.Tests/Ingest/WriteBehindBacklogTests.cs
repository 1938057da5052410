using Microsoft.Extensions.DependencyInjection;
using Seismo.Domain.Identity;
using Seismo.Grains;
using Seismo.Grains.Runs;
using Seismo.Grains.Storage;
using Seismo.Tests.Support;

namespace Seismo.Tests.Ingest;

/// <summary>
/// In a project of many tests the store falls behind the write-behind. A test grain whose write is queued must keep
/// applying results and answering: ingest never waits for a grain's own write.
/// </summary>
public sealed class WriteBehindBacklogTests
{
    [Fact]
    public async Task A_test_grain_whose_write_waits_on_a_busy_store_still_applies_results_and_answers()
    {
        await using var seismo = new SeismoFactory(settings: new Dictionary<string, string> { ["Seismo:FlushInterval"] = "00:00:00.200" });
        var (project, key) = await seismo.CreateProjectAsync("backlog");
        var agent = seismo.ClientWithKey(key);
        var archive = await SyntheticReports.ArchiveAsync([new("com.acme.Backlog", "keeps_going", "passed")]);
        var id = (await (await agent.PostArchiveAsync(archive)).JsonAsync()).GetProperty("observation_id").GetString()!;
        await seismo.DrainAsync();
        await agent.WaitProcessedAsync(id);

        var runs = seismo.Services.GetRequiredService<IRunStore>();
        var first = (await runs.GetBySequenceAsync(project, 1))!;
        var result = first.Results[0];
        var grain = seismo.Services.GetRequiredService<IGrainFactory>().GetGrain<ITestGrain>(PublicIds.TestGrainKey(project, result.KeyHash));
        Assert.Equal(1, (await grain.GetAsync())!.TotalRuns);

        // Hold the store's only writer, as a long backlog of other grains' writes would.
        var gate = seismo.Services.GetRequiredService<SqliteGate>();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = gate.RunAsync(SqliteGate.Lane.Background, () => release.Task);
        try
        {
            var applied = RunDispatcher.Application(first.Summary, result, 0);
            var second = applied with
            {
                Execution = applied.Execution with { Sequence = 2, RunId = "second", Status = TestStatus.Failed },
                Result = result with { Status = TestStatus.Failed, PreviousSequence = 1 },
            };
            await grain.ApplyAsync([second]);
            // Long enough for the flush timer to start a write that now waits behind the held writer.
            await Task.Delay(TimeSpan.FromSeconds(1));

            var view = await grain.GetAsync().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(2, view!.TotalRuns);
            Assert.Equal(1, view.Failed);
        }
        finally
        {
            release.SetResult();
            await held;
        }

        // Once the writer is free the queued write lands, and a flush after it goes through.
        await grain.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
