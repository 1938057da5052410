using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Seismo.Grains;
using Seismo.Grains.Hosting;
using Seismo.Grains.Runs;
using Seismo.Grains.Storage;
using Seismo.Grains.Telemetry;

namespace Seismo.Api.Ingest;

/// <summary>
/// Hands accepted runs to their test grains after the client has its answer. Each project has one lane: a run that
/// finds the lane idle goes out at once; runs accepted while the lane is busy or lingering go out together, one call
/// per distinct test instead of one per result. A lane is busy until its test grains have applied the batch, and
/// <see cref="ReadyAsync"/> tells the collect path to hold new runs back while a lane is full, so ingest runs at the
/// pace the test grains keep. On shutdown it waits for what is queued; anything lost (a crash) is replayed by the
/// project grain from the durable run log.
/// </summary>
public sealed class RunFanOut : IHostedService
{
    /// <summary>Results a project's lane queues behind the batch in flight before <see cref="ReadyAsync"/> waits.</summary>
    public const int MaxQueuedResults = 100_000;

    private readonly ConcurrentDictionary<Guid, Lane> _lanes = new();
    private readonly IGrainFactory _grains;
    private readonly SeismoMetrics _metrics;
    private readonly ILogger<RunFanOut> _logger;
    private readonly TimeSpan _linger;
    private long _pending;

    public RunFanOut(IGrainFactory grains, IOptions<SeismoOptions> options, SeismoMetrics metrics, ILogger<RunFanOut> logger)
    {
        (_grains, _metrics, _logger, _linger) = (grains, metrics, logger, options.Value.FanOutLinger);
        metrics.ObserveDepth(SeismoMetrics.FanOutPending, () => Interlocked.Read(ref _pending),
            "Accepted runs this API node has not yet handed to their test grains (all projects' fan-out lanes)");
    }

    /// <summary>Every accepted run passes here once, so this is also where ingest is counted.</summary>
    /// <returns>Completes once the run has been sent to its test grains (whether or not that succeeded).</returns>
    public Task Start(AcceptedRun accepted)
    {
        _metrics.RunAccepted(SeismoMetrics.EntryPointOf(accepted.Run.Metadata.Source), accepted.Results.Length);
        Interlocked.Increment(ref _pending);
        return _lanes.GetOrAdd(accepted.Run.Metadata.ProjectId, _ => new Lane(this)).Enqueue(new StoredRun(accepted.Run, accepted.Results));
    }

    /// <summary>Completes once the project's lane has room: fewer than <see cref="MaxQueuedResults"/> results queued.</summary>
    public Task ReadyAsync(Guid projectId) => _lanes.TryGetValue(projectId, out var lane) ? lane.ReadyAsync() : Task.CompletedTask;

    /// <summary>Completes when every run handed over so far has reached its test grains (tests and benchmarks).</summary>
    public async Task DrainAsync()
    {
        while (_lanes.Values.Select(l => l.Idle).ToArray() is var idle && idle.Any(t => !t.IsCompleted)) await Task.WhenAll(idle);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => DrainAsync().WaitAsync(cancellationToken);

    private async Task DispatchAsync(IReadOnlyList<StoredRun> batch)
    {
        try
        {
            await RunDispatcher.DispatchAsync(_grains, batch);
            await _grains.GetGrain<IProjectGrain>(batch[0].Summary.Metadata.ProjectId).MarkDispatchedAsync([.. batch.Select(r => r.Summary.Sequence)]);
        }
        catch (Exception e)
        {
            // The project's stale-dispatch timer redispatches them from the run log.
            _logger.LogWarning(e, "Fan-out of runs {First}..{Last} failed; they will be redispatched",
                batch[0].Summary.Sequence, batch[^1].Summary.Sequence);
        }
        finally
        {
            Interlocked.Add(ref _pending, -batch.Count);
        }
    }

    /// <summary>One project's queue of accepted runs and the single loop that sends them.</summary>
    private sealed class Lane(RunFanOut owner)
    {
        private readonly Lock _gate = new();
        private List<StoredRun> _queue = [];
        private int _queuedResults;
        private TaskCompletionSource _queueSent = NewSignal();
        private TaskCompletionSource? _room;
        private Task _loop = Task.CompletedTask;

        /// <summary>Completes once the lane has sent everything queued so far.</summary>
        public Task Idle { get { lock (_gate) return _loop; } }

        public Task Enqueue(StoredRun run)
        {
            lock (_gate)
            {
                _queue.Add(run);
                _queuedResults += run.Results.Count;
                if (_loop.IsCompleted) _loop = Task.Run(RunAsync);
                return _queueSent.Task;
            }
        }

        public Task ReadyAsync()
        {
            lock (_gate) return _queuedResults < MaxQueuedResults ? Task.CompletedTask : (_room ??= NewSignal()).Task;
        }

        private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        private async Task RunAsync()
        {
            while (true)
            {
                List<StoredRun> batch;
                TaskCompletionSource sent;
                TaskCompletionSource? room;
                lock (_gate)
                {
                    if (_queue.Count == 0) return;
                    (batch, _queue, _queuedResults) = (_queue, [], 0);
                    (sent, _queueSent) = (_queueSent, NewSignal());
                    (room, _room) = (_room, null);
                }
                room?.SetResult();
                await owner.DispatchAsync(batch);
                sent.SetResult();
                // Runs that arrive within the linger join the next batch; an idle lane sends the next run at once.
                if (owner._linger > TimeSpan.Zero) await Task.Delay(owner._linger);
            }
        }
    }
}
