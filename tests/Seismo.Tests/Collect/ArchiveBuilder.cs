using System.Formats.Tar;
using System.Text;
using ZstdSharp;

namespace Seismo.Tests.Collect;

/// <summary>Builds collect archives in memory with TarWriter and zstd, the way a client would.</summary>
internal sealed class ArchiveBuilder
{
    public const string ValidCommandJson = """
        {"command": ["pytest", "-q"], "user": "github-ci", "return_code": 0, "execution_time_ms": 4312}
        """;

    private readonly List<TarEntry> _entries = [];
    private readonly TarEntryFormat _format;

    public ArchiveBuilder(TarEntryFormat format = TarEntryFormat.Pax) => _format = format;

    /// <summary>A minimal valid archive: command.json only.</summary>
    public static ArchiveBuilder Valid(TarEntryFormat format = TarEntryFormat.Pax) => new ArchiveBuilder(format).Command();

    public ArchiveBuilder Command(string json = ValidCommandJson) => File("command.json", json);

    public ArchiveBuilder File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public ArchiveBuilder File(string name, byte[] content) => File(name, new MemoryStream(content));

    public ArchiveBuilder File(string name, Stream content)
    {
        var entry = NewEntry(_format == TarEntryFormat.V7 ? TarEntryType.V7RegularFile : TarEntryType.RegularFile, name);
        entry.DataStream = content;
        return Add(entry);
    }

    public ArchiveBuilder Directory(string name) => Add(NewEntry(TarEntryType.Directory, name));

    public ArchiveBuilder Link(TarEntryType type, string name, string target)
    {
        var entry = NewEntry(type, name);
        entry.LinkName = target;
        return Add(entry);
    }

    public ArchiveBuilder Special(TarEntryType type, string name) => Add(NewEntry(type, name));

    public ArchiveBuilder Add(TarEntry entry)
    {
        _entries.Add(entry);
        return this;
    }

    public byte[] BuildTar()
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, _format, leaveOpen: true))
        {
            foreach (var entry in _entries)
            {
                if (entry.DataStream is { CanSeek: true } data) data.Position = 0;
                writer.WriteEntry(entry);
            }
        }
        return tar.ToArray();
    }

    public byte[] Build(int level = 3) => Compress(BuildTar(), level);

    public MemoryStream BuildStream() => new(Build());

    public static byte[] Compress(byte[] data, int level = 3)
    {
        using var output = new MemoryStream();
        using (var zstd = new CompressionStream(output, level, leaveOpen: true))
        {
            zstd.Write(data);
        }
        return output.ToArray();
    }

    private TarEntry NewEntry(TarEntryType type, string name) => _format switch
    {
        TarEntryFormat.V7 => new V7TarEntry(type, name),
        TarEntryFormat.Ustar => new UstarTarEntry(type, name),
        TarEntryFormat.Gnu => new GnuTarEntry(type, name),
        _ => new PaxTarEntry(type, name),
    };
}
