using System.Collections.Concurrent;

namespace Seismo.Grains.Storage;

/// <summary>
/// One dedicated thread for the embedded SQLite store's writes and grain-state reads. SQLite has a single writer and
/// Microsoft.Data.Sqlite runs synchronously (it waits for a busy database by sleeping), so operations issued from
/// grains on the shared thread pool would contend with each other and, during an outage, block pool threads until
/// the pool starves. Here each operation runs to completion on this thread, one at a time.
/// Two lanes share the thread: <see cref="Lane.Urgent"/> work (appending an observation a client waits for, reading
/// state to activate a grain) always goes before <see cref="Lane.Background"/> work (write-behind state), so a backlog
/// of write-behind never delays an answer by more than the one operation in progress.
/// </summary>
public sealed class SqliteGate : IDisposable
{
    public enum Lane { Urgent, Background }

    private readonly BlockingCollection<Action>[] _lanes = [new(), new()];
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
