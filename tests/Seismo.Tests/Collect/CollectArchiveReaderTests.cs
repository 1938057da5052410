using System.Formats.Tar;
using System.Text;
using Seismo.Domain.Collect;
using Seismo.Tests.Support;

namespace Seismo.Tests.Collect;

public sealed class CollectArchiveReaderTests
{
    private static readonly string JunitPath = SharedData.CorpusPath("junit", "pytest", Directory
        .GetFiles(SharedData.CorpusPath("junit", "pytest"), "*.xml").Select(Path.GetFileName).Order().First()!);

    [Fact]
    public async Task Minimal_archive_returns_command_json_bytes()
    {
        var archive = await ReadAsync(ArchiveBuilder.Valid().Build());

        Assert.Equal(ArchiveBuilder.ValidCommandJson, Encoding.UTF8.GetString(archive.CommandJson));
        Assert.Null(archive.Output);
        Assert.Empty(archive.Attachments);
        Assert.Equal(0, archive.Ignored.Count);
    }

    [Theory]
    [InlineData(TarEntryFormat.V7)]
    [InlineData(TarEntryFormat.Ustar)]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    public async Task Dot_slash_names_and_directories_as_tar_C_dir_writes_them(TarEntryFormat format)
    {
        var junit = await File.ReadAllBytesAsync(JunitPath);
        var body = new ArchiveBuilder(format)
            .Directory("./")
            .File("./command.json", ArchiveBuilder.ValidCommandJson)
            .File("./output.txt", "collected 3 items\n3 passed")
            .Directory("./attachment/")
            .File("./attachment/junit.xml", junit)
            .File("./attachment/coverage.json", "{}")
            .Build();
        var visitor = new RecordingVisitor();

        var archive = await ReadAsync(body, visitor);

        Assert.Equal("collected 3 items\n3 passed", visitor.Output);
        Assert.Equal(new CollectOutputInfo(26, Truncated: false), archive.Output);
        Assert.Equal(["junit.xml", "coverage.json"], visitor.Attachments.Select(a => a.Name));
        Assert.Equal(junit, visitor.Attachments[0].Content);
        Assert.Equal([new("junit.xml", "xml", junit.Length), new CollectAttachmentInfo("coverage.json", "json", 2)], archive.Attachments);
        Assert.Equal(6, archive.EntryCount);
    }

    [Fact]
    public async Task Nested_attachment_keeps_its_path_below_attachment_and_extension_is_lower_case()
    {
        var visitor = new RecordingVisitor();
        await ReadAsync(ArchiveBuilder.Valid().File("attachment/reports/unit/JUNIT.XML", "<testsuites/>").Build(), visitor);

        var attachment = Assert.Single(visitor.Attachments);
        Assert.Equal(("reports/unit/JUNIT.XML", "xml"), (attachment.Name, attachment.Extension));
    }

    [Fact]
    public async Task Files_outside_the_contract_and_macos_metadata_are_ignored_not_visited()
    {
        var body = ArchiveBuilder.Valid()
            .File("README.md", "notes")
            .File("logs/build.log", "log")
            .File("sub/command.json", "{}")
            .File("attachment/._junit.xml", [0, 5, 22, 7])
            .File("attachment/.DS_Store", [0, 0, 0, 1])
            .Build();
        var visitor = new RecordingVisitor();

        var archive = await ReadAsync(body, visitor);

        Assert.Empty(visitor.Attachments);
        Assert.Equal(5, archive.Ignored.Count);
        Assert.Equal(["README.md", "logs/build.log", "sub/command.json", "attachment/._junit.xml", "attachment/.DS_Store"], archive.Ignored.FirstNames);
    }

    [Fact]
    public async Task Output_beyond_its_limit_is_cut_off_not_rejected()
    {
        var body = ArchiveBuilder.Valid().File("output.txt", "0123456789abcdef").Build();
        var visitor = new RecordingVisitor();

        var archive = await ReadAsync(body, visitor, CollectArchiveLimits.Default with { MaxOutputBytes = 10 });

        Assert.Equal("0123456789", visitor.Output);
        Assert.Equal(new CollectOutputInfo(16, Truncated: true), archive.Output);
    }

    [Fact]
    public async Task Attachments_exactly_at_the_per_file_and_total_limits_are_accepted()
    {
        var fiveMb = new byte[5 * 1024 * 1024];
        var body = ArchiveBuilder.Valid().File("attachment/a.log", fiveMb).File("attachment/b.log", fiveMb).Build();

        var archive = await ReadAsync(body);

        Assert.Equal([5L * 1024 * 1024, 5L * 1024 * 1024], archive.Attachments.Select(a => a.Length));
    }

    [Fact]
    public async Task Empty_attachment_and_a_visitor_that_reads_nothing_are_fine()
    {
        var body = ArchiveBuilder.Valid().File("attachment/empty.txt", "").File("attachment/a.xml", "<x/>").Build();

        var archive = await ReadAsync(body, visitor: null);

        Assert.Equal(["empty.txt", "a.xml"], archive.Attachments.Select(a => a.Name));
    }

    [Fact]
    public async Task Leading_skippable_frame_and_several_zstd_frames_are_accepted()
    {
        byte[] skippable = [0x5A, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 1, 2, 3];
        var tar = ArchiveBuilder.Valid().File("output.txt", "done").BuildTar();
        var split = tar.Length / 2;
        byte[] body = [.. skippable, .. ArchiveBuilder.Compress(tar[..split]), .. ArchiveBuilder.Compress(tar[split..])];
        var visitor = new RecordingVisitor();

        await ReadAsync(body, visitor);

        Assert.Equal("done", visitor.Output);
    }

    [Fact]
    public async Task Global_pax_header_as_written_by_git_archive_is_accepted()
    {
        var global = new PaxGlobalExtendedAttributesTarEntry(new Dictionary<string, string> { ["comment"] = "0123abcd" });
        var body = new ArchiveBuilder().Add(global).Command().Build();

        var archive = await ReadAsync(body);

        Assert.Equal(0, archive.Ignored.Count);
    }

    [Theory]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    public async Task Long_names_in_pax_or_gnu_long_name_headers_are_read(TarEntryFormat format)
    {
        var name = "attachment/" + new string('d', 120) + "/" + new string('f', 150) + ".xml";
        var visitor = new RecordingVisitor();

        await ReadAsync(new ArchiveBuilder(format).Command().File(name, "<testsuites/>").Build(), visitor);

        Assert.Equal(name["attachment/".Length..], Assert.Single(visitor.Attachments).Name);
    }

    [Fact]
    public async Task Body_that_arrives_a_few_bytes_at_a_time_reads_the_same()
    {
        var junit = await File.ReadAllBytesAsync(JunitPath);
        var body = ArchiveBuilder.Valid().File("attachment/junit.xml", junit).File("output.txt", "ok").Build();
        var visitor = new RecordingVisitor();

        await new CollectArchiveReader().ReadAsync(new TrickleStream(body, maxChunk: 7), visitor);

        Assert.Equal(junit, Assert.Single(visitor.Attachments).Content);
        Assert.Equal("ok", visitor.Output);
    }

    [Fact]
    public async Task Visitor_reading_synchronously_works_when_the_body_allows_it()
    {
        var visitor = new SyncVisitor();
        await ReadAsync(ArchiveBuilder.Valid().File("attachment/a.csv", "a,b\n1,2\n").Build(), visitor);

        Assert.Equal("a,b\n1,2\n", visitor.Text);
    }

    internal static Task<CollectArchive> ReadAsync(
        byte[] body, ICollectArchiveVisitor? visitor = null, CollectArchiveLimits? limits = null) =>
        new CollectArchiveReader(limits).ReadAsync(new MemoryStream(body), visitor);

    private sealed class SyncVisitor : ICollectArchiveVisitor
    {
        public string? Text { get; private set; }

        public ValueTask OnOutputAsync(Stream content, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask OnAttachmentAsync(CollectAttachment attachment, CancellationToken cancellationToken)
        {
            Text = new StreamReader(attachment.Content).ReadToEnd();
            return ValueTask.CompletedTask;
        }
    }
}
