using System.Diagnostics;
using Seismo.Tests.Support;

namespace Seismo.Cluster.Tests;

/// <summary>
/// Writers posting collect archives until stopped, recording every answer: the acknowledged observations, the 503s
/// (which must carry Retry-After) and anything else, which is a failure of the cluster's contract.
/// </summary>
public sealed class IngestLoad : IAsyncDisposable
{
    public const int TestsPerRun = 30;

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _writers;
    private readonly List<(Guid Project, string Id)> _acknowledged = [];
    private readonly List<string> _violations = [];
    private int _unavailable;
    private long _slowestMs;

    public IngestLoad(Func<HttpClient> client, IReadOnlyList<Guid> projects, int writers = 4)
    {
        _writers = Enumerable.Range(0, writers).Select(w => Task.Run(() => WriteAsync(client(), projects[w % projects.Count], w))).ToList();
    }

    public int Acknowledged { get { lock (_acknowledged) return _acknowledged.Count; } }

    public IReadOnlyList<(Guid Project, string Id)> AcknowledgedRuns { get { lock (_acknowledged) return [.. _acknowledged]; } }

    public IReadOnlyList<string> Violations { get { lock (_violations) return [.. _violations]; } }

    public int Unavailable => Volatile.Read(ref _unavailable);

    public TimeSpan Slowest => TimeSpan.FromMilliseconds(Interlocked.Read(ref _slowestMs));

    public async Task WaitForAcknowledgedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Acknowledged < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"only {Acknowledged} of {count} observations acknowledged; violations: {string.Join("; ", Violations.Take(5))}");
            await Task.Delay(50);
        }
    }

    public async Task StopAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_writers);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task WriteAsync(HttpClient http, Guid project, int writer)
    {
        using (http)
        {
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                var archive = await ArchiveAsync(writer * 100_000 + i);
                var clock = Stopwatch.StartNew();
                try
                {
                    using var response = await http.PostArchiveAsync(archive, project);
                    Record(clock.Elapsed);
                    if (response.IsSuccessStatusCode)
                    {
                        var id = (await response.JsonAsync()).GetProperty("observation_id").GetString()!;
                        lock (_acknowledged) _acknowledged.Add((project, id));
                    }
                    else if ((int)response.StatusCode == 503)
                    {
                        Interlocked.Increment(ref _unavailable);
                        if (response.Headers.RetryAfter is null) Violate("503 without Retry-After");
                        await Task.Delay(100);
                    }
                    else
                    {
                        Violate($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    }
                }
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    Violate($"no answer after {clock.Elapsed.TotalSeconds:F1} s: {e.GetType().Name} {e.Message}");
                }
                catch (Exception) { return; }
            }
        }
    }

    private void Record(TimeSpan elapsed)
    {
        var ms = (long)elapsed.TotalMilliseconds;
        long seen;
        while (ms > (seen = Interlocked.Read(ref _slowestMs)) && Interlocked.CompareExchange(ref _slowestMs, ms, seen) != seen) { }
    }

    private void Violate(string what)
    {
        lock (_violations) _violations.Add(what);
    }

    /// <summary>The same tests every run, about one in five failing, so scores move and order matters.</summary>
    public static Task<byte[]> ArchiveAsync(int seed)
    {
        var random = new Random(seed);
        return SyntheticReports.ArchiveAsync(Enumerable.Range(0, TestsPerRun)
            .Select(t => new SyntheticCase("com.acme.Cluster", $"test{t}", random.NextDouble() < 0.2 ? "failed" : "passed")));
    }
}
