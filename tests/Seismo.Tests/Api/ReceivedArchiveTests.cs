using Seismo.Api.Ingest;
using Seismo.Grains.Storage;

namespace Seismo.Tests.Api;

public class ReceivedArchiveTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "seismo-received-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17_000)]
    [InlineData(ReceivedArchive.MemoryLimit)]
    [InlineData(ReceivedArchive.MemoryLimit + 1)]
    [InlineData(3 * ReceivedArchive.MemoryLimit + 12_345)]
    public async Task What_is_received_is_what_is_read_and_committed(int size)
    {
        var store = new ArchiveStore(_root);
        var content = new byte[size];
        new Random(size).NextBytes(content);
        using var archive = new ReceivedArchive(store);
        for (var at = 0; at < size; at += 65_536) await archive.WriteAsync(content.AsMemory(at, Math.Min(65_536, size - at)), CancellationToken.None);

        await using (var read = await archive.OpenReadAsync(CancellationToken.None))
        {
            var copy = new MemoryStream();
            await read.CopyToAsync(copy);
            Assert.Equal(content, copy.ToArray());
        }
        // Held in memory up to the limit: then a copy is what is stored with the run.
        Assert.Equal(size <= ReceivedArchive.MemoryLimit ? content : null, archive.InMemoryCopy());
        var (project, run) = (Guid.NewGuid(), Guid.NewGuid());
        var path = archive.Commit(project, run);
        Assert.Equal(store.PathFor(project, run), path);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        archive.Dispose();
        Assert.True(File.Exists(path));
        Assert.Empty(Directory.Exists(Path.Combine(_root, ".incoming")) ? Directory.GetFiles(Path.Combine(_root, ".incoming")) : []);
    }

    [Fact]
    public async Task An_archive_never_committed_leaves_nothing_behind()
    {
        var store = new ArchiveStore(_root);
        var archive = new ReceivedArchive(store);
        await archive.WriteAsync(new byte[2 * ReceivedArchive.MemoryLimit], CancellationToken.None);
        archive.Dispose();
        Assert.Empty(Directory.GetFiles(_root, "*", SearchOption.AllDirectories));
    }
}
