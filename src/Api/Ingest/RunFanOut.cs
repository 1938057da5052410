using System.Collections.Concurrent;
using Seismo.Grains;
using Seismo.Grains.Runs;

namespace Seismo.Api.Ingest;

/// <summary>
/// Hands accepted runs to their test grains after the client has its answer. On shutdown it waits for what is in
/// flight; anything lost (a crash) is replayed by the project grain from the durable run log.
/// </summary>
public sealed class RunFanOut(IGrainFactory grains, ILogger<RunFanOut> logger) : IHostedService
{
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private long _next;

    public void Start(AcceptedRun accepted)
    {
        var id = Interlocked.Increment(ref _next);
        _inFlight[id] = Task.Run(async () =>
        {
            try
            {
                var run = accepted.Run;
                await RunDispatcher.DispatchAsync(grains, run, accepted.Results);
                await grains.GetGrain<IProjectGrain>(run.Metadata.ProjectId).MarkDispatchedAsync(run.Sequence);
            }
            catch (Exception e)
            {
                // The project's stale-dispatch timer redispatches it from the run log.
                logger.LogWarning(e, "Fan-out of run {Run} failed; it will be redispatched", accepted.Run.Metadata.Id);
            }
            finally
            {
                _inFlight.TryRemove(id, out _);
            }
        });
    }

    /// <summary>Completes when every run handed over so far has reached its test grains (tests and benchmarks).</summary>
    public Task DrainAsync() => Task.WhenAll(_inFlight.Values);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => DrainAsync().WaitAsync(cancellationToken);
}
