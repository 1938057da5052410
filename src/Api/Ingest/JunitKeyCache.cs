using System.Collections.Concurrent;
using Seismo.Domain.Identity;

namespace Seismo.Api.Ingest;

/// <summary>
/// The identity of a JUnit test case (key, title, key hash) by the (classname, name) pair it is derived from.
/// Deriving it splits and normalises the title path and hashes the key with SHA-256, which costs more than the rest
/// of a result's parsing; the same tests come back run after run, so it is done once per distinct pair. The
/// derivation is a pure function of the pair, so a cached entry is exactly what deriving again would give.
/// Bounded: when full it starts over, so memory stays capped whatever the uploads hold.
/// </summary>
public sealed class JunitKeyCache(int capacity)
{
    public const int DefaultCapacity = 100_000;

    /// <summary>One process-wide cache: every project's uploads derive keys the same way.</summary>
    public static JunitKeyCache Shared { get; } = new(DefaultCapacity);

    /// <summary>The derived identity, with the pair's own strings so results of many runs can share them.</summary>
    public sealed record Entry(string ClassName, string Name, string Key, string Title, string KeyHash);

    private readonly ConcurrentDictionary<(string ClassName, string Name), Entry> _entries = new();
    private int _count;

    public Entry Get(string className, string name)
    {
        if (_entries.TryGetValue((className, name), out var entry)) return entry;
        var key = TestKeys.FromJunit(className, name);
        entry = new Entry(className, name, key.Value, TitleText.LastSegment(name), key.HashHex());
        if (Interlocked.Increment(ref _count) > capacity)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _count, 1);
        }
        return _entries.GetOrAdd((className, name), entry);
    }
}
