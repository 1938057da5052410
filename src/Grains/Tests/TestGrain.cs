using Microsoft.Extensions.Options;
using Seismo.Domain.Identity;
using Seismo.Grains.Hosting;

namespace Seismo.Grains.Tests;

/// <summary>
/// One test's live state. Writes are behind: a timer persists dirty state, then tells the project which runs
/// are now durable here, so a crash replays only what was not yet written.
/// </summary>
public sealed class TestGrain(
    [PersistentState("test", "Default")] IPersistentState<TestState> state,
    IOptions<SeismoOptions> options) : Grain, ITestGrain
{
    private readonly List<long> _unflushed = [];
    private Guid _projectId;
    private string _hash = "";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/');
        _projectId = Guid.ParseExact(key[..slash], "N");
        _hash = key[(slash + 1)..];
        // Spread the flushes of many test grains over the interval instead of writing them all at once.
        var period = options.Value.FlushInterval;
        var due = TimeSpan.FromMilliseconds(Random.Shared.Next(1, (int)Math.Max(2, period.TotalMilliseconds)));
        this.RegisterGrainTimer(ct => FlushCoreAsync(ct), new GrainTimerCreationOptions(due, period));
        return Task.CompletedTask;
    }

    // On shutdown the project is going away too; its replay watermark is conservative, so the notice can be skipped.
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        FlushCoreAsync(cancellationToken, notifyProject: reason.ReasonCode != DeactivationReasonCode.ShuttingDown);

    public Task ApplyAsync(TestApplication application)
    {
        var sequence = application.Execution.Sequence;
        if (state.State.Apply(application) || _unflushed.Count > 0)
        {
            _unflushed.Add(sequence);
        }
        else
        {
            // Replayed and already durable here: the project may count it at once.
            Project.TestsFlushedAsync([sequence]);
        }
        return Task.CompletedTask;
    }

    public Task<TestView?> GetAsync()
    {
        var s = state.State;
        if (s.TotalRuns == 0) return Task.FromResult<TestView?>(null);
        var history = Enumerable.Reverse(s.Ring).ToArray();
        return Task.FromResult<TestView?>(new TestView(PublicIds.TestId(_projectId, _hash), _projectId, s.Key, s.Title, s.FullTitle,
            s.FilePath, s.Line, s.TotalRuns, s.Passed, s.Failed + s.Errors, s.Skipped, s.Flaky, s.IsQuarantined, history.FirstOrDefault(), history));
    }

    public Task FlushAsync() => FlushCoreAsync(CancellationToken.None);

    private IProjectGrain Project => GrainFactory.GetGrain<IProjectGrain>(_projectId);

    private async Task FlushCoreAsync(CancellationToken ct, bool notifyProject = true)
    {
        if (_unflushed.Count == 0) return;
        var flushed = _unflushed.ToArray();
        await state.WriteStateAsync(ct);
        _unflushed.RemoveRange(0, flushed.Length);
        if (notifyProject) await Project.TestsFlushedAsync(flushed);
    }
}
