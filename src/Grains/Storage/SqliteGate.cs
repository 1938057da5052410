using System.Collections.Concurrent;

namespace Seismo.Grains.Storage;

/// <summary>
/// One dedicated thread for the embedded SQLite store's writes and grain-state reads. SQLite has a single writer and
/// Microsoft.Data.Sqlite runs synchronously (it waits for a busy database by sleeping), so operations issued from
/// grains on the shared thread pool would contend with each other and, during an outage, block pool threads until
/// the pool starves. Here each operation runs to completion on this thread, one at a time.
/// Three lanes share the thread, each always served before the next: <see cref="Lane.Urgent"/> (appending an
/// observation a client waits for), <see cref="Lane.Read"/> (reading state to activate a grain) and
/// <see cref="Lane.Background"/> (write-behind state). A backlog of write-behind never delays an answer by more than the
/// one operation in progress, and the first run into a project of 100,000 new tests, which activates 100,000 grains,
/// does not hold up the next run's append.
/// </summary>
public sealed class SqliteGate : IDisposable
{
    public enum Lane { Urgent, Read, Background }

    private readonly BlockingCollection<Action>[] _lanes = [new(), new(), new()];
    private readonly Thread _thread;

    public SqliteGate()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "seismo-sqlite" };
        _thread.Start();
    }

    public Task RunAsync(Lane lane, Func<Task> work) => RunAsync(lane, async () => { await work(); return true; });

    public Task<T> RunAsync<T>(Lane lane, Func<Task<T>> work)
    {
        // Callers' continuations must not run on the gate's thread.
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _lanes[(int)lane].Add(() =>
        {
            try { done.SetResult(work().GetAwaiter().GetResult()); }
            catch (Exception e) { done.SetException(e); }
        });
        return done.Task;
    }

    public void Dispose()
    {
        foreach (var lane in _lanes) lane.CompleteAdding();
    }

    private void Run()
    {
        while (true)
        {
            Action next;
            // TakeFromAny tries the lanes in order: urgent work first.
            try { BlockingCollection<Action>.TakeFromAny(_lanes, out next!); }
            catch (ArgumentException) { return; }
            catch (InvalidOperationException) { return; }
            next();
        }
    }
}
