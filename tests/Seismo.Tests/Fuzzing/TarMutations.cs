using System.Text;
using Seismo.Tests.Collect;

namespace Seismo.Tests.Fuzzing;

/// <summary>Mutations that know the tar layout, so they reach TarReader and the entry checks instead of dying in zstd.</summary>
internal sealed class TarMutations(Mutator mutator)
{
    private const int Block = RawTar.Block;
    private const string TypeFlags = "0123456789xgLKSMNVDAZ\0";
    private static readonly string[] HostileNames =
        ["../evil.xml", "/etc/passwd", "attachment/../../x.xml", "C:\\x.txt", "attachment/\u0001\u001b[31m.xml", "", ".", "./", "attachment/", "attachment/a.exe"];

    private Random Random => mutator.Random;

    public byte[] Mutate(byte[] tar)
    {
        var headers = HeaderOffsets(tar);
        if (headers.Count == 0) return mutator.Mutate(tar);
        var header = mutator.Pick(headers);
        return Random.Next(9) switch
        {
            0 => HugeSize(tar, header),
            1 => RandomType(tar, header),
            2 => Insert(tar, mutator.Pick(headers), HugeMetadataHeader()),
            3 => Insert(tar, mutator.Pick(headers), PaxRecords()),
            4 => RenameEntry(tar, header),
            5 => Insert(tar, mutator.Pick(headers), EntryAt(tar, mutator.Pick(headers))), // duplicate an entry
            6 => tar[..Math.Min(tar.Length, mutator.Pick(headers) + Block * Random.Next(0, 3))], // cut at or after a header
            7 => Header(tar, header, h => mutator.FlipBits(h)),
            _ => mutator.Mutate(tar),
        };
    }

    /// <summary>Whole entries of one archive followed by whole entries of another.</summary>
    public byte[] SpliceEntries(byte[] first, byte[] second)
    {
        var cutFirst = CutPoints(first);
        var cutSecond = CutPoints(second);
        return [.. first.AsSpan(0, mutator.Pick(cutFirst)), .. second.AsSpan(mutator.Pick(cutSecond))];
    }

    /// <summary>A command.json nested to a random depth, some just around the limit of 32, some absurd.</summary>
    public string DeepJson()
    {
        int[] depths = [31, 32, 33, 64, 1000, 100_000];
        var depth = mutator.Pick(depths);
        var (open, close) = Random.Next(2) == 0 ? ("[", "]") : ("{\"a\":", "}");
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        var fields = new Dictionary<string, string>
        {
            ["command"] = "[\"x\"]", ["user"] = "\"u\"", ["return_code"] = "0", ["execution_time_ms"] = "1",
        };
        fields[mutator.Pick(["command", "env", "tags", "user", "extra"])] = nested;
        return "{" + string.Join(", ", fields.Select(f => $"\"{f.Key}\": {f.Value}")) + "}";
    }

    private static List<int> HeaderOffsets(byte[] tar)
    {
        var offsets = new List<int>();
        for (var at = 0; at + Block <= tar.Length && tar[at] != 0 && offsets.Count < 1000;)
        {
            offsets.Add(at);
            var size = ParseOctal(tar.AsSpan(at + 124, 12));
            if (size is null or > int.MaxValue) break;
            at += Block + (int)((size.Value + Block - 1) / Block * Block);
        }
        return offsets;
    }

    private List<int> CutPoints(byte[] tar) => [.. HeaderOffsets(tar), tar.Length];

    private byte[] EntryAt(byte[] tar, int header)
    {
        var size = ParseOctal(tar.AsSpan(header + 124, 12)) ?? 0;
        var length = (int)Math.Min(tar.Length - header, Block + (size + Block - 1) / Block * Block);
        return tar[header..(header + length)];
    }

    private byte[] HugeSize(byte[] tar, int header) => Header(tar, header, h =>
    {
        if (Random.Next(3) == 0)
        {
            h[124] = 0x80;
            Random.NextBytes(h.AsSpan(125, 11));
        }
        else
        {
            var size = mutator.Pick([8L * 1024 * 1024 * 1024 - 1, 1L << 30, 64L * 1024 * 1024 + 1, 5L * 1024 * 1024 + 1, Random.NextInt64(1L << 33)]);
            Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(h, 124);
        }
    });

    private byte[] RandomType(byte[] tar, int header) => Header(tar, header, h =>
        h[156] = Random.Next(4) == 0 ? (byte)Random.Next(256) : (byte)TypeFlags[Random.Next(TypeFlags.Length)]);

    private byte[] RenameEntry(byte[] tar, int header) => Header(tar, header, h =>
    {
        Array.Clear(h, 0, 100);
        var name = Encoding.UTF8.GetBytes(mutator.Pick(HostileNames));
        name.AsSpan(0, Math.Min(100, name.Length)).CopyTo(h);
    });

    private byte[] HugeMetadataHeader()
    {
        var type = mutator.Pick(['x', 'g', 'L', 'K']);
        var size = mutator.Pick([64L * 1024 + 1, 1L << 20, 1L << 30, 8L * 1024 * 1024 * 1024 - 1]);
        return [.. RawTar.Header("././@LongLink", type, size), .. new byte[Block * Random.Next(0, 4)]];
    }

    private byte[] PaxRecords()
    {
        string[] keys = ["path", "linkpath", "size", "mtime", "uid", "gid", "comment", "GNU.sparse.major", "GNU.sparse.realsize"];
        string[] values = ["../../x", "-1", "1e400", "99999999999999999999", "attachment/a.xml", "", new string('p', Random.Next(1, 70_000))];
        var records = Enumerable.Range(0, Random.Next(1, 6)).Select(_ => (mutator.Pick(keys), mutator.Pick(values))).ToArray();
        return RawTar.Pax(records.DistinctBy(r => r.Item1).ToArray());
    }

    private byte[] Header(byte[] tar, int header, Action<byte[]> change)
    {
        var output = (byte[])tar.Clone();
        var block = output[header..(header + Block)];
        change(block);
        if (Random.Next(4) != 0) RawTar.FixChecksum(block); // mostly valid, so TarReader looks further
        block.CopyTo(output, header);
        return output;
    }

    private static byte[] Insert(byte[] tar, int at, byte[] bytes) => [.. tar.AsSpan(0, at), .. bytes, .. tar.AsSpan(at)];

    private static long? ParseOctal(ReadOnlySpan<byte> field)
    {
        long value = 0;
        foreach (var b in field.Trim((byte)0).Trim((byte)' '))
        {
            if (b is < (byte)'0' or > (byte)'7' || value > long.MaxValue / 8) return null;
            value = value * 8 + (b - '0');
        }
        return value;
    }
}
