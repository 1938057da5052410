using Seismo.Grains;
using Seismo.Grains.Projects;

namespace Seismo.Tests.Domain;

/// <summary>The pure parts of accepting several runs at once: linking them to each other and numbering their events.</summary>
public class GroupCommitPartsTests
{
    private static TestResult Result(string hash) =>
        new("k " + hash, hash, hash, "k", null, null, TestStatus.Passed, 1, 1, null, null, null, hash);

    [Fact]
    public void Runs_linked_together_link_to_the_earlier_run_of_the_batch_else_to_the_folded_state()
    {
        var folded = new Dictionary<string, TestLive> { ["a"] = new() { LastSequence = 7 } };
        var linker = new RunLinker(folded, runs: 3);

        var first = linker.Link([Result("a"), Result("b")], 8);
        var second = linker.Link([Result("b")], 9);
        var third = linker.Link([Result("a"), Result("b"), Result("c")], 10);

        Assert.Equal([7L, 0], first.Select(r => r.PreviousSequence));
        Assert.Equal([8L], second.Select(r => r.PreviousSequence));
        Assert.Equal([8L, 9, 0], third.Select(r => r.PreviousSequence));
        // The folded state is the project's, changed only once the batch is stored.
        Assert.Equal(7, folded["a"].LastSequence);
    }

    [Fact]
    public void A_single_run_links_to_the_folded_state_and_keeps_results_already_linked()
    {
        var folded = new Dictionary<string, TestLive> { ["a"] = new() { LastSequence = 3 } };
        var linked = Result("a") with { PreviousSequence = 3 };
        var results = new RunLinker(folded, runs: 1).Link([linked, Result("b")], 4);
        Assert.Same(linked, results[0]);
        Assert.Equal(0, results[1].PreviousSequence);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(LiveFeed.ReservationBlock + 10)]
    public void Events_emitted_together_get_numbers_reserved_for_all_of_them(int count)
    {
        var state = new ProjectState { Info = new ProjectInfo(Guid.NewGuid(), Guid.NewGuid(), "p", "p", default, default) };
        var feed = new LiveFeed(state, capacity: 10);
        // Use up the first block but for two numbers: the next batch of five crosses into the next block.
        feed.Reserve();
        for (var i = 0; i < LiveFeed.ReservationBlock - 2; i++) feed.Append("run.completed", Guid.Empty, "{}", default);

        Assert.Equal(count > 2, feed.NeedsReservation(count));
        if (feed.NeedsReservation(count)) feed.Reserve(count);
        for (var i = 0; i < count; i++) feed.Append("run.completed", Guid.Empty, "{}", default);

        Assert.Equal(LiveFeed.ReservationBlock - 2 + count, feed.LastSequence);
        Assert.True(state.EventsReservedThrough >= feed.LastSequence);
    }
}
