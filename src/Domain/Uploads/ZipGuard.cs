using System.IO.Compression;
using System.IO.MemoryMappedFiles;
using System.Runtime.ExceptionServices;

namespace Seismo.Domain.Uploads;

/// <summary>
/// Checks an uploaded zip before anything of it is used, then extracts it. Refused: paths that leave the target
/// (zip slip: <c>..</c>, absolute, drive or UNC paths), links and other non-regular files, duplicate names, too many
/// entries, too many bytes in total, and entries compressed beyond <see cref="ZipLimits.MaxCompressionRatio"/>.
/// Declared sizes are not trusted: extraction counts the bytes it writes.
/// </summary>
public static class ZipGuard
{
    private const int UnixTypeMask = 0xF000;
    private const int UnixRegular = 0x8000;
    private const int UnixDirectory = 0x4000;

    // Below this, a share of the work is not worth a thread and a second view of the archive.
    private const int MinFilesPerWorker = 256;

    public const long MaxMappedBytes = 64L * 1024 * 1024;

    /// <summary>The safe relative paths of the zip's files (folders left out), in archive order.</summary>
    /// <exception cref="ZipRejectedException">The archive is unreadable or unsafe.</exception>
    public static IReadOnlyList<string> Inspect(ZipArchive zip, ZipLimits limits)
    {
        var entries = Entries(zip);
        if (entries.Count > limits.MaxEntries)
            throw new ZipRejectedException("too_many_entries", $"The zip holds {entries.Count} entries; at most {limits.MaxEntries} are accepted.");
        var files = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        foreach (var entry in entries)
        {
            var path = SafePath(entry.FullName, limits);
            var type = (entry.ExternalAttributes >> 16) & UnixTypeMask;
            if (type != 0 && type != UnixRegular && type != UnixDirectory)
                throw new ZipRejectedException("link", $"Entry '{Printable(entry.FullName)}' is a link or special file; only regular files are accepted.");
            if (IsDirectory(entry)) continue;
            if (!seen.Add(path)) throw new ZipRejectedException("duplicate_entry", $"Entry '{Printable(path)}' appears more than once.");
            total += entry.Length;
            if (entry.Length < 0 || total > limits.MaxUncompressedBytes)
                throw new ZipRejectedException("too_large", $"The zip expands to more than {limits.MaxUncompressedBytes} bytes.");
            if (entry.Length >= limits.RatioFloorBytes && entry.Length > (long)limits.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
                throw new ZipRejectedException("compression_ratio",
                    $"Entry '{Printable(path)}' expands {entry.Length / Math.Max(1, entry.CompressedLength)}:1; at most {limits.MaxCompressionRatio}:1 is accepted.");
            files.Add(path);
        }
        return files;
    }

    /// <summary>
    /// Inspects the zip, then hands each file to <paramref name="read"/> in archive order as a stream that checks what
    /// it yields (declared size, total size, corrupt data). Whatever <paramref name="read"/> leaves unread is read to
    /// the end, so every byte of the archive is checked once this returns.
    /// </summary>
    /// <returns>The relative paths read.</returns>
    public static IReadOnlyList<string> Read(ZipArchive zip, ZipLimits limits, Action<string, Stream> read)
    {
        var files = Inspect(zip, limits);
        var budget = new ByteBudget(limits.MaxUncompressedBytes);
        foreach (var entry in Entries(zip))
        {
            if (IsDirectory(entry)) continue;
            using var input = new CheckedEntryStream(OpenEntry(entry), entry, budget);
            read(SafePath(entry.FullName, limits), input);
            input.ReadToEnd();
        }
        return files;
    }

    /// <summary>
    /// Like <see cref="Read(ZipArchive, ZipLimits, Action{string, Stream})"/> for the zip at <paramref name="zipPath"/>,
    /// with the files <paramref name="parsesAhead"/> picks first handed to <paramref name="parse"/> on up to
    /// <paramref name="workers"/> threads, each reading its own share of the archive. Then every file goes to
    /// <paramref name="read"/> in archive order: a picked file with what <paramref name="parse"/> made of it, any other
    /// as a checked stream. An upload of thousands of small result files is parsed on every core; a large file that must
    /// be streamed (a JUnit report) is left to <paramref name="read"/>.
    /// </summary>
    /// <exception cref="ZipRejectedException">The archive is unsafe, or a file is: the first such file in archive order.</exception>
    public static IReadOnlyList<string> Read<T>(string zipPath, ZipLimits limits, int workers, Func<string, bool> parsesAhead,
        Func<string, Stream, T> parse, Action<string, T?, Stream?> read) where T : class
    {
        using var zip = Open(zipPath);
        var files = Inspect(zip, limits);
        var entries = Entries(zip).Where(e => !IsDirectory(e)).ToList();
        var budget = new ByteBudget(limits.MaxUncompressedBytes);
        var picked = Enumerable.Range(0, files.Count).Where(i => parsesAhead(files[i])).ToArray();
        var parsed = new T?[files.Count];
        var shares = Math.Max(1, Math.Min(workers, picked.Length / MinFilesPerWorker));
        var failures = new (int Index, ZipRejectedException Error)?[shares];
        try
        {
            Parallel.For(0, shares, new ParallelOptions { MaxDegreeOfParallelism = shares }, ParseShare);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // Not a refusal (those are kept per share below): surface it as the single reader would have.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        if (failures.Where(f => f is not null).MinBy(f => f!.Value.Index) is { } first) throw first.Error;
        for (var i = 0; i < files.Count; i++)
        {
            if (parsesAhead(files[i]))
            {
                read(files[i], parsed[i], null);
                continue;
            }
            using var input = new CheckedEntryStream(OpenEntry(entries[i]), entries[i], budget);
            read(files[i], null, input);
            input.ReadToEnd();
        }
        return files;

        void ParseShare(int share)
        {
            // Each share reads its own view of the file: a zip archive is not safe for concurrent reads.
            using var own = share == 0 ? null : Open(zipPath);
            var ownEntries = own is null ? entries : Entries(own).Where(e => !IsDirectory(e)).ToList();
            for (var n = picked.Length * share / shares; n < picked.Length * (share + 1) / shares; n++)
            {
                var i = picked[n];
                try
                {
                    using var input = new CheckedEntryStream(OpenEntry(ownEntries[i]), ownEntries[i], budget);
                    parsed[i] = parse(files[i], input);
                    input.ReadToEnd();
                }
                catch (ZipRejectedException e)
                {
                    failures[share] = (i, e);
                    return;
                }
            }
        }
    }

    /// <summary>Inspects the zip, then writes its files under <paramref name="target"/> (which must not exist yet).</summary>
    /// <returns>The relative paths written.</returns>
    public static IReadOnlyList<string> Extract(string zipPath, string target, ZipLimits limits)
    {
        using var zip = Open(zipPath);
        var root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
        return Read(zip, limits, (path, input) =>
        {
            var destination = Path.GetFullPath(Path.Combine(root, path));
            // Inspect has refused any path leaving the root already; this is the last line of defence.
            if (!destination.StartsWith(root, StringComparison.Ordinal))
                throw new ZipRejectedException("path_traversal", $"Entry '{Printable(path)}' leaves the extraction folder.");
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            using var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.SequentialScan);
            input.CopyTo(output, 81920);
        });
    }

    /// <summary>
    /// Opens the zip. One of up to <see cref="MaxMappedBytes"/> is read through a read-only memory map of the file:
    /// reading an entry then costs no system call, where a file stream asks for the file's length and position for each
    /// of thousands of small entries. A larger zip is read as a file stream: its size is in large files (attachments),
    /// and the pages of a map count as the process's resident memory.
    /// </summary>
    public static ZipArchive Open(string zipPath)
    {
        // A missing file is not the client's fault: that error is left to surface as it is.
        var length = new FileInfo(zipPath).Length;
        if (length == 0) throw new ZipRejectedException("not_a_zip", "The body is not a readable zip archive: it is empty");
        Stream? stream = null;
        try
        {
            if (length > MaxMappedBytes)
                stream = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
            else
                using (var map = MemoryMappedFile.CreateFromFile(zipPath, FileMode.Open, null, 0, MemoryMappedFileAccess.Read))
                    stream = map.CreateViewStream(0, 0, MemoryMappedFileAccess.Read);
            return new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException or NotSupportedException)
        {
            stream?.Dispose();
            throw new ZipRejectedException("not_a_zip", "The body is not a readable zip archive: " + e.Message, e);
        }
    }

    /// <summary>A normalised relative path with '/' separators, or a refusal naming the entry.</summary>
    public static string SafePath(string name, ZipLimits limits)
    {
        if (name.Length == 0) throw new ZipRejectedException("invalid_name", "An entry has an empty name.");
        if (name.Length > limits.MaxPathLength)
            throw new ZipRejectedException("invalid_name", $"An entry name is longer than {limits.MaxPathLength} characters.");
        if (name.Any(c => c == '\0' || char.IsControl(c)))
            throw new ZipRejectedException("invalid_name", $"Entry '{Printable(name)}' has control characters in its name.");
        var unified = name.Replace('\\', '/');
        if (unified.StartsWith('/') || (unified.Length >= 2 && char.IsAsciiLetter(unified[0]) && unified[1] == ':'))
            throw new ZipRejectedException("absolute_path", $"Entry '{Printable(name)}' has an absolute path.");
        var parts = unified.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p == ".."))
            throw new ZipRejectedException("path_traversal", $"Entry '{Printable(name)}' climbs out of the archive with '..'.");
        var kept = parts.Where(p => p != ".").ToArray();
        if (kept.Length > limits.MaxDepth)
            throw new ZipRejectedException("invalid_name", $"Entry '{Printable(name)}' is nested deeper than {limits.MaxDepth} folders.");
        if (kept.Length == 0) return "";
        return string.Join('/', kept);
    }

    private static bool IsDirectory(ZipArchiveEntry entry) =>
        entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\') || ((entry.ExternalAttributes >> 16) & UnixTypeMask) == UnixDirectory;

    private static IReadOnlyList<ZipArchiveEntry> Entries(ZipArchive zip)
    {
        try { return zip.Entries; }
        catch (InvalidDataException e) { throw new ZipRejectedException("not_a_zip", "The zip's directory is corrupt: " + e.Message, e); }
    }

    private static Stream OpenEntry(ZipArchiveEntry entry)
    {
        try { return entry.Open(); }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException)
        {
            throw new ZipRejectedException("unreadable_entry", $"Entry '{Printable(entry.FullName)}' cannot be read: {e.Message}", e);
        }
    }

    internal static string Printable(string name)
    {
        var clean = new string(name.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length > 200 ? clean[..200] + "…" : clean;
    }
}
