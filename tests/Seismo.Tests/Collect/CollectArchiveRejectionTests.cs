using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Seismo.Domain.Collect;
using static Seismo.Domain.Collect.CollectArchiveErrorKind;

namespace Seismo.Tests.Collect;

public sealed class CollectArchiveRejectionTests
{
    [Fact]
    public async Task Plain_tar_is_not_zstd()
    {
        var error = await RejectAsync(ArchiveBuilder.Valid().BuildTar(), NotZstd);
        Assert.Contains("tar --zstd", error.Message);
    }

    [Fact]
    public async Task Gzip_is_not_zstd_and_the_message_says_it_looks_like_gzip()
    {
        using var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(ArchiveBuilder.Valid().BuildTar());

        var error = await RejectAsync(gz.ToArray(), NotZstd);
        Assert.Contains("gzip", error.Message);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x28, 0xB5, 0x2F })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"' })]
    public async Task Empty_short_or_text_body_is_not_zstd(byte[] body) => await RejectAsync(body, NotZstd);

    [Fact]
    public async Task Corrupt_zstd_data_is_an_invalid_archive()
    {
        var body = ArchiveBuilder.Valid().File("output.txt", new string('x', 5000) + "tail").Build();
        for (var i = 8; i < body.Length - 4; i += 3) body[i] ^= 0x5A;
        await RejectAsync(body, InvalidArchive);
    }

    [Fact]
    public async Task Truncated_upload_is_an_invalid_archive()
    {
        var body = ArchiveBuilder.Valid().File("attachment/junit.xml", RandomText(20_000)).Build();
        var error = await RejectAsync(body[..(body.Length * 2 / 3)], InvalidArchive);
        Assert.Contains("ends unexpectedly", error.Message);
    }

    [Fact]
    public async Task Zstd_of_something_that_is_not_tar_is_an_invalid_archive() =>
        await RejectAsync(ArchiveBuilder.Compress(Encoding.UTF8.GetBytes(RandomText(2000))), InvalidArchive);

    [Fact]
    public async Task Tar_cut_inside_an_entry_names_the_entry()
    {
        var tar = ArchiveBuilder.Valid().File("attachment/junit.xml", RandomText(4000)).BuildTar();
        var error = await RejectAsync(ArchiveBuilder.Compress(tar[..(tar.Length - 3000)]), InvalidArchive, readAttachments: true);
        Assert.Equal("attachment/junit.xml", error.EntryName);
    }

    [Fact]
    public async Task Entry_name_longer_than_the_limit_is_an_invalid_archive()
    {
        var name = "attachment/" + new string('n', 1100) + ".xml";
        var error = await RejectAsync(ArchiveBuilder.Valid().File(name, "<x/>").Build(), InvalidArchive);
        Assert.Contains("longer than 1024 characters", error.Message);
        Assert.True(error.EntryName!.Length < 250, "names in errors are shortened");
    }

    [Fact]
    public async Task Ignored_files_may_repeat()
    {
        var body = ArchiveBuilder.Valid().File("notes.md", "a").File("./notes.md", "b").Build();
        var archive = await ReadAsync(body);
        Assert.Equal(2, archive.Ignored.Count);
    }

    [Theory]
    [InlineData("command.json")]
    [InlineData("attachment/junit.xml")]
    public async Task Duplicate_entry_is_an_invalid_archive(string name)
    {
        var body = ArchiveBuilder.Valid().File(name, "<a/>").File("./" + name, "<b/>").Build();
        var error = await RejectAsync(body, InvalidArchive);
        Assert.Contains("more than once", error.Message);
    }

    [Fact]
    public async Task Archive_that_expands_beyond_the_limit_is_too_large()
    {
        var body = ArchiveBuilder.Valid().File("output.txt", new string('a', 100_000)).Build();
        var error = await RejectAsync(body, TooLarge, CollectArchiveLimits.Default with { MaxDecompressedBytes = 20_000 });
        Assert.Contains("expands to more than", error.Message);
    }

    [Fact]
    public async Task Command_json_over_1_mb_is_too_large()
    {
        var json = "{\"user\":\"" + new string('u', 1024 * 1024) + "\"}";
        var error = await RejectAsync(new ArchiveBuilder().Command(json).Build(), TooLarge);
        Assert.Equal("command.json", error.EntryName);
    }

    [Fact]
    public async Task Zstd_window_beyond_the_limit_is_too_large()
    {
        var tar = ArchiveBuilder.Valid().File("output.txt", RandomText(3 * 1024 * 1024)).BuildTar();
        using var compressor = new ZstdSharp.Compressor(1);
        compressor.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_windowLog, 22);
        var body = compressor.Wrap(tar).ToArray();

        var error = await RejectAsync(body, TooLarge, CollectArchiveLimits.Default with { MaxZstdWindowLog = 20 });
        Assert.Contains("--long", error.Message);
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink, "attachment/junit.xml", "symbolic link")]
    [InlineData(TarEntryType.HardLink, "command.json", "hard link")]
    public async Task Links_are_unsafe(TarEntryType type, string name, string what)
    {
        var error = await RejectAsync(ArchiveBuilder.Valid().Link(type, name, "/etc/passwd").Build(), UnsafeEntry);
        Assert.Contains(what, error.Message);
        Assert.Equal(name, error.EntryName);
    }

    [Theory]
    [InlineData(TarEntryType.CharacterDevice, "character device")]
    [InlineData(TarEntryType.BlockDevice, "block device")]
    [InlineData(TarEntryType.Fifo, "fifo")]
    public async Task Devices_and_fifos_are_unsafe(TarEntryType type, string what)
    {
        var error = await RejectAsync(ArchiveBuilder.Valid().Special(type, "attachment/dev").Build(), UnsafeEntry);
        Assert.Contains(what, error.Message);
    }

    [Theory]
    [InlineData("../x", "'..'")]
    [InlineData("attachment/../../etc/cron.d/x.txt", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("C:/Windows/x.txt", "drive letter")]
    [InlineData("attachment\\..\\x.txt", "backslash")]
    public async Task Unsafe_names_are_rejected_wherever_they_are(string name, string reason)
    {
        var error = await RejectAsync(ArchiveBuilder.Valid().File(name, "x").Build(), UnsafeEntry);
        Assert.Contains(reason, error.Message);
        Assert.Equal(name, error.EntryName);
    }

    [Theory]
    [InlineData('S')] // GNU sparse
    [InlineData('M')] // multi-volume continuation
    [InlineData('Z')] // unknown
    public async Task Unsupported_entry_types_are_refused(char type)
    {
        byte[] tar = [.. ArchiveBuilder.Valid().BuildTar()[..1024], .. RawTar.Entry("attachment/x.txt", type, "abc"u8.ToArray()), .. RawTar.EndMarker];
        var error = await Assert.ThrowsAsync<CollectArchiveException>(() => ReadAsync(ArchiveBuilder.Compress(tar)));
        Assert.True(error.Kind is UnsafeEntry or InvalidArchive, error.Kind.ToString());
    }

    [Theory]
    [InlineData("attachment/tool.exe")]
    [InlineData("attachment/screenshot.png")]
    [InlineData("attachment/Makefile")]
    public async Task Attachment_with_a_disallowed_extension_is_rejected(string name)
    {
        var error = await RejectAsync(ArchiveBuilder.Valid().File(name, "x").Build(), AttachmentRejected);
        Assert.Contains("xml, yaml, yml", error.Message.Replace("htm, html, json, log, txt, ", ""));
        Assert.Equal(name, error.EntryName);
    }

    [Fact]
    public async Task Attachment_of_5_mb_plus_one_byte_is_rejected()
    {
        var body = ArchiveBuilder.Valid().File("attachment/big.log", new byte[5 * 1024 * 1024 + 1]).Build();
        var error = await RejectAsync(body, AttachmentRejected);
        Assert.Contains("5242881 bytes", error.Message);
        Assert.Contains("5 MB per file", error.Message);
    }

    [Fact]
    public async Task Attachments_over_10_mb_in_total_are_rejected_at_the_one_that_crosses()
    {
        var fourMb = new byte[4 * 1024 * 1024];
        var body = ArchiveBuilder.Valid()
            .File("attachment/a.log", fourMb).File("attachment/b.log", fourMb).File("attachment/c.log", fourMb).Build();
        var error = await RejectAsync(body, AttachmentRejected);
        Assert.Equal("attachment/c.log", error.EntryName);
        Assert.Contains("10 MB in total", error.Message);
    }

    [Theory]
    [InlineData("output.txt")]
    [InlineData("attachment/command.json")]
    [InlineData("obs/command.json")]
    public async Task Archive_without_root_command_json_is_missing_the_command(string onlyEntry)
    {
        var error = await RejectAsync(new ArchiveBuilder().File(onlyEntry, "{}").Build(), MissingCommand);
        Assert.Contains("command.json", error.Message);
    }

    [Fact]
    public async Task Empty_tar_is_missing_the_command() =>
        await RejectAsync(ArchiveBuilder.Compress(RawTar.EndMarker), MissingCommand);

    [Fact]
    public async Task More_entries_than_the_limit_are_refused()
    {
        var builder = ArchiveBuilder.Valid();
        for (var i = 0; i < 6; i++) builder.Directory($"d{i}/");
        await RejectAsync(builder.Build(), TooManyEntries, CollectArchiveLimits.Default with { MaxEntries = 5 });
    }

    private static async Task<CollectArchiveException> RejectAsync(
        byte[] body, CollectArchiveErrorKind kind, CollectArchiveLimits? limits = null, bool readAttachments = false)
    {
        var error = await Assert.ThrowsAsync<CollectArchiveException>(
            () => ReadAsync(body, limits, readAttachments ? new RecordingVisitor() : null));
        Assert.Equal(kind, error.Kind);
        return error;
    }

    private static Task<CollectArchive> ReadAsync(byte[] body, CollectArchiveLimits? limits = null, ICollectArchiveVisitor? visitor = null) =>
        new CollectArchiveReader(limits).ReadAsync(new MemoryStream(body), visitor);

    internal static string RandomText(int length)
    {
        var random = new Random(length);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = (char)r.Next('a', 'z' + 1);
        });
    }
}
