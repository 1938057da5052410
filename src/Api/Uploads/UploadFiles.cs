using System.Security.Cryptography;

namespace Seismo.Api.Uploads;

/// <summary>Writes request bodies to disk as they arrive: never buffered whole, bounded, hashed on the way.</summary>
public static class UploadFiles
{
    private const int BufferSize = 128 * 1024;

    public sealed record Written(long Bytes, string Sha256, bool OverLimit);

    /// <summary>Copies <paramref name="body"/> into <paramref name="path"/>, stopping once more than <paramref name="limit"/> bytes came.</summary>
    public static async Task<Written> WriteAsync(Stream body, string path, long limit, Func<long, Task>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long total = 0;
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > limit) return new Written(total, "", true);
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
                if (progress is not null) await progress(total);
            }
            await file.FlushAsync(ct);
        }
        return new Written(total, Convert.ToHexStringLower(hash.GetHashAndReset()), false);
    }

    /// <summary>Joins the chunk files, in order, into one file.</summary>
    public static async Task<long> ConcatenateAsync(IReadOnlyList<string> parts, string path, CancellationToken ct)
    {
        long total = 0;
        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        foreach (var part in parts)
        {
            await using var input = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await input.CopyToAsync(output, BufferSize, ct);
            total += input.Length;
        }
        await output.FlushAsync(ct);
        return total;
    }

    public static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
