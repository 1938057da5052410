using System.IO.Compression;
using Seismo.Domain.IO;

namespace Seismo.Domain.Uploads;

/// <summary>The bytes all entries of one archive may expand to, counted as they are read (by one or several threads).</summary>
internal sealed class ByteBudget(long limit)
{
    private long _used;

    public void Take(int bytes)
    {
        if (Interlocked.Add(ref _used, bytes) > limit) throw new ZipRejectedException("too_large", $"The zip expands to more than {limit} bytes.");
    }
}

/// <summary>
/// One zip entry's content, read-only and checked as it is read: no more bytes than its header declares, the archive's
/// total within its budget, and corrupt data refused as <c>unreadable_entry</c> instead of surfacing as an I/O error.
/// </summary>
internal sealed class CheckedEntryStream(Stream inner, ZipArchiveEntry entry, ByteBudget budget) : ReadOnlyStreamView(inner)
{
    public override long Length => entry.Length;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try { read = Inner.Read(buffer); }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new ZipRejectedException("unreadable_entry", $"Entry '{ZipGuard.Printable(entry.FullName)}' is corrupt: {e.Message}", e);
        }
        BytesRead += read;
        if (BytesRead > entry.Length)
            throw new ZipRejectedException("size_mismatch", $"Entry '{ZipGuard.Printable(entry.FullName)}' holds more bytes than its header declares.");
        budget.Take(read);
        return read;
    }

    /// <summary>Reads what the consumer left, so the whole entry is checked.</summary>
    public void ReadToEnd()
    {
        Span<byte> scratch = stackalloc byte[8192];
        while (Read(scratch) > 0) { }
    }
}
