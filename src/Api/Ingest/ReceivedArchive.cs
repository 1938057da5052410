using System.Buffers;
using Seismo.Grains.Storage;

namespace Seismo.Api.Ingest;

/// <summary>
/// An uploaded archive between receipt and commit. Archives up to <see cref="MemoryLimit"/> (nearly all of them)
/// are held in a pooled buffer: parsed from memory and stored with the run record, in its transaction. Larger ones
/// stream to a temporary file in the archive store as they arrive, and are flushed to the device and renamed into
/// place before the run record is written. Disposing drops whatever was not committed.
/// </summary>
public sealed class ReceivedArchive : IDisposable
{
    public const int MemoryLimit = 1 << 20;

    private readonly ArchiveStore _store;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _length;
    private FileStream? _spill;
    private string? _spillPath;

    public ReceivedArchive(ArchiveStore store) => _store = store;

    public long Length => _spill?.Length ?? _length;

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (_spill is null && _length + data.Length <= MemoryLimit)
        {
            if (_length + data.Length > _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(MemoryLimit, Math.Max(_buffer.Length * 2, _length + data.Length)));
                _buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            data.Span.CopyTo(_buffer.AsSpan(_length));
            _length += data.Length;
            return;
        }
        if (_spill is null)
        {
            _spillPath = _store.NewTemporaryPath();
            _spill = new FileStream(_spillPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await _spill.WriteAsync(_buffer.AsMemory(0, _length), ct);
        }
        await _spill.WriteAsync(data, ct);
    }

    /// <summary>The archive's bytes from the start; the stream is the caller's to dispose.</summary>
    public async ValueTask<Stream> OpenReadAsync(CancellationToken ct)
    {
        if (_spill is null) return new MemoryStream(_buffer, 0, _length, writable: false);
        await _spill.FlushAsync(ct);
        return new FileStream(_spillPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
    }

    /// <summary>A copy of the archive when it is held in memory (then it is stored with its run); null when it spilled to a file.</summary>
    public byte[]? InMemoryCopy() => _spill is null ? _buffer.AsSpan(0, _length).ToArray() : null;

    /// <summary>Makes the archive durable at its final path in the store and returns that path.</summary>
    public string Commit(Guid projectId, Guid runGuid)
    {
        if (_spill is null) return _store.Commit(_buffer.AsSpan(0, _length), projectId, runGuid);
        _spill.Dispose();
        _spill = null;
        var path = _store.Commit(_spillPath!, projectId, runGuid);
        _spillPath = null;
        return path;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _spill?.Dispose();
        _spill = null;
        if (_spillPath is not null) ArchiveStore.TryDelete(_spillPath);
        _spillPath = null;
    }
}
