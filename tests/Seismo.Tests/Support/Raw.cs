using System.Formats.Tar;
using ZstdSharp;

namespace Seismo.Tests.Support;

/// <summary>Hand-built tar.zst archives with exactly the entries given, for archives the writer would never make.</summary>
public static class Raw
{
    public static async Task<byte[]> ArchiveAsync(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        await using (var zstd = new CompressionStream(buffer, 3, leaveOpen: true))
        await using (var tar = new TarWriter(zstd, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        }
        return buffer.ToArray();
    }
}

/// <summary>External command-line tools some tests drive (installed by .ci/run).</summary>
public static class Tools
{
    public static bool Exist(params string[] names) =>
        names.All(n => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, n))));

    public static async Task RunAsync(string file, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} exited {process.ExitCode}: {stderr}");
    }
}

/// <summary>One Seismo per test class.</summary>
public sealed class SeismoFixture : IAsyncLifetime
{
    public SeismoFactory Seismo { get; } = new();

    public Task InitializeAsync()
    {
        _ = Seismo.Server; // start the host now, not inside the first test's timing
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Seismo.DisposeAsync();
}
