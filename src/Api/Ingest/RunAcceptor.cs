using System.Collections.Concurrent;
using Seismo.Grains;

namespace Seismo.Api.Ingest;

/// <summary>
/// Group commit for collected runs. Each project has one lane: a run that finds it idle goes to the project grain at
/// once; runs that arrive while the grain is storing earlier ones go together in the next call, which stores them in
/// one transaction with one flush to disk. Each caller still gets its own run back, once it is durable. Stored runs
/// are handed to the fan-out in sequence order, and a lane sends nothing while the project's fan-out is full.
/// </summary>
public sealed class RunAcceptor(IGrainFactory grains, RunFanOut fanOut)
{
    /// <summary>Bounds one call: a batch takes runs until it holds this many results (always at least one run).</summary>
    public const int MaxBatchResults = 50_000;

    private readonly ConcurrentDictionary<Guid, Lane> _lanes = new();

    /// <returns>The run as stored; faults as the project grain's call did (the run is then not stored).</returns>
    public Task<AcceptedRun> AcceptAsync(RunSubmission submission) =>
        _lanes.GetOrAdd(submission.Metadata.ProjectId, id => new Lane(id, grains.GetGrain<IProjectGrain>(id), fanOut)).Enqueue(submission);

    private sealed class Lane(Guid projectId, IProjectGrain project, RunFanOut fanOut)
    {
        private readonly Lock _gate = new();
        private readonly Queue<(RunSubmission Run, TaskCompletionSource<AcceptedRun> Done)> _queue = new();
        private bool _sending;

        public Task<AcceptedRun> Enqueue(RunSubmission run)
        {
            var done = new TaskCompletionSource<AcceptedRun>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _queue.Enqueue((run, done));
                if (_sending) return done.Task;
                _sending = true;
            }
            _ = SendAsync();
            return done.Task;
        }

        private async Task SendAsync()
        {
            while (true)
            {
                await fanOut.ReadyAsync(projectId);
                if (Next() is not { } batch) return;
                AcceptedRun[] stored;
                try
                {
                    stored = await project.AcceptRunsAsync([.. batch.Select(b => b.Run)]);
                }
                catch (Exception e)
                {
                    foreach (var b in batch) b.Done.SetException(e);
                    continue;
                }
                // Only the grain call decides the outcome: once it returns, the runs are durable and accepted.
                foreach (var run in stored) _ = fanOut.Start(run);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.SetResult(stored[i]);
            }
        }

        private List<(RunSubmission Run, TaskCompletionSource<AcceptedRun> Done)>? Next()
        {
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _sending = false;
                    return null;
                }
                var batch = new List<(RunSubmission, TaskCompletionSource<AcceptedRun>)>();
                var results = 0;
                while (_queue.TryPeek(out var next) && (batch.Count == 0 || results + next.Run.Results.Length <= MaxBatchResults))
                {
                    batch.Add(_queue.Dequeue());
                    results += next.Run.Results.Length;
                }
                return batch;
            }
        }
    }
}
