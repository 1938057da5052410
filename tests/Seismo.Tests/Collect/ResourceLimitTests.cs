using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using Seismo.Domain.Collect;
using ZstdSharp;

namespace Seismo.Tests.Collect;

[CollectionDefinition(nameof(MemoryMeasured), DisableParallelization = true)]
public sealed class MemoryMeasured;

/// <summary>Hostile archives that are small on the wire. Run alone so the allocation counts are this test's own.</summary>
[Collection(nameof(MemoryMeasured))]
public sealed class ResourceLimitTests
{
    private const long OneGigabyte = 1L << 30;
    // Managed allocations only; the zstd window is native memory, bounded by MaxZstdWindowLog.
    private const long AllocationBudget = 8L * 1024 * 1024;

    private static readonly Lazy<byte[]> OutputBomb = new(() => Bomb(OneGigabyte, "output.txt"));

    [Fact]
    public async Task One_gigabyte_of_zeros_stops_at_the_decompression_limit_quickly_and_in_bounded_memory()
    {
        var body = OutputBomb.Value;
        Assert.True(body.Length < 1024 * 1024, $"the bomb should be small on the wire, was {body.Length} bytes");

        var error = await MeasureRejectionAsync(body, new DrainingVisitor());

        Assert.Equal(CollectArchiveErrorKind.TooLarge, error.Kind);
        Assert.Contains("64 MB", error.Message);
    }

    [Fact]
    public async Task Zeros_after_the_tar_end_marker_are_counted_too()
    {
        byte[] tar = [.. ArchiveBuilder.Valid().BuildTar()];
        var body = Compress(tar, zerosAfter: 200L * 1024 * 1024);

        var error = await MeasureRejectionAsync(body, visitor: null);

        Assert.Equal(CollectArchiveErrorKind.TooLarge, error.Kind);
    }

    [Theory]
    [InlineData('x')]
    [InlineData('g')]
    [InlineData('L')]
    [InlineData('K')]
    public async Task Metadata_header_declaring_a_gigabyte_is_refused_before_TarReader_allocates_it(char type)
    {
        byte[] tar = [.. RawTar.Header("././@LongLink", type, OneGigabyte), .. new byte[RawTar.Block]];

        var error = await MeasureRejectionAsync(ArchiveBuilder.Compress(tar), visitor: null);

        Assert.Equal(CollectArchiveErrorKind.TooLarge, error.Kind);
        Assert.Contains("1024 MB", error.Message);
    }

    [Fact]
    public async Task Metadata_header_with_a_base_256_size_is_refused()
    {
        var header = RawTar.Header("PaxHeaders/x", 'x', 0);
        header[124] = 0x80;
        header[130] = 0x40; // 2^46 in big-endian binary
        RawTar.FixChecksum(header);

        var error = await MeasureRejectionAsync(ArchiveBuilder.Compress([.. header, .. new byte[RawTar.Block]]), visitor: null);

        Assert.Equal(CollectArchiveErrorKind.TooLarge, error.Kind);
    }

    [Fact]
    public async Task Metadata_header_with_a_wrong_checksum_is_still_checked()
    {
        var header = RawTar.Header("PaxHeaders/x", 'x', OneGigabyte);
        header[150] = (byte)'7'; // TarReader in .NET 10 does not verify checksums

        var error = await MeasureRejectionAsync(ArchiveBuilder.Compress([.. header, .. new byte[RawTar.Block]]), visitor: null);

        Assert.Equal(CollectArchiveErrorKind.TooLarge, error.Kind);
    }

    [Fact]
    public async Task Pax_header_below_the_limit_is_read()
    {
        var comment = new string('c', 60 * 1024);
        byte[] tar = [.. RawTar.Pax(("comment", comment)), .. ArchiveBuilder.Valid(TarEntryFormat.Ustar).BuildTar()];

        var archive = await new CollectArchiveReader().ReadAsync(new MemoryStream(ArchiveBuilder.Compress(tar)));

        Assert.NotEmpty(archive.CommandJson);
    }

    [Fact]
    public async Task Entry_declaring_8_gigabytes_with_little_data_fails_fast_as_truncated()
    {
        byte[] tar = [.. RawTar.Header("junk.bin", '0', 8L * OneGigabyte - 1), .. new byte[4096]];

        var error = await MeasureRejectionAsync(ArchiveBuilder.Compress(tar), visitor: null);

        Assert.Equal(CollectArchiveErrorKind.InvalidArchive, error.Kind);
        Assert.Equal("junk.bin", error.EntryName);
    }

    [Fact]
    public async Task Pax_size_override_of_an_exabyte_fails_fast()
    {
        byte[] tar = [.. RawTar.Pax(("size", "1000000000000000000")), .. RawTar.Header("junk.bin", '0', 0), .. RawTar.EndMarker];

        var error = await MeasureRejectionAsync(ArchiveBuilder.Compress(tar), visitor: null);

        Assert.Equal(CollectArchiveErrorKind.InvalidArchive, error.Kind);
    }

    private static async Task<CollectArchiveException> MeasureRejectionAsync(byte[] body, ICollectArchiveVisitor? visitor)
    {
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<CollectArchiveException>(
            () => new CollectArchiveReader().ReadAsync(new MemoryStream(body), visitor));
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.True(allocated < AllocationBudget, $"allocated {allocated / 1024 / 1024} MB");
        return error;
    }

    /// <summary>A tar entry of <paramref name="size"/> zero bytes, compressed as it is produced: never held in memory.</summary>
    private static byte[] Bomb(long size, string name)
    {
        byte[] head = [.. ArchiveBuilder.Valid().BuildTar()[..^(2 * RawTar.Block)], .. RawTar.Header(name, '0', size)];
        return Compress(head, zerosAfter: size);
    }

    private static byte[] Compress(byte[] head, long zerosAfter)
    {
        using var output = new MemoryStream();
        using (var zstd = new CompressionStream(output, level: 1, leaveOpen: true))
        {
            zstd.Write(head);
            var zeros = new byte[1024 * 1024];
            for (var written = 0L; written < zerosAfter; written += zeros.Length) zstd.Write(zeros);
        }
        return output.ToArray();
    }

    /// <summary>Reads everything and keeps nothing, so the allocations measured are the reader's.</summary>
    private sealed class DrainingVisitor : ICollectArchiveVisitor
    {
        public async ValueTask OnOutputAsync(Stream content, CancellationToken cancellationToken) =>
            await content.CopyToAsync(Stream.Null, cancellationToken);

        public async ValueTask OnAttachmentAsync(CollectAttachment attachment, CancellationToken cancellationToken) =>
            await attachment.Content.CopyToAsync(Stream.Null, cancellationToken);
    }
}
