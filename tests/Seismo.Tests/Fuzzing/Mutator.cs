using System.Globalization;

namespace Seismo.Tests.Fuzzing;

/// <summary>
/// Seeded, format-agnostic byte mutations. The same seed always yields the same sequence, so a failing input can be
/// reproduced from its seed and iteration alone. Reusable by any fuzzer over bytes (archives, HTTP bodies, JSON).
/// </summary>
public sealed class Mutator(int seed)
{
    public const string IterationsVariable = "SEISMO_FUZZ_ITERATIONS";
    public const string SeedVariable = "SEISMO_FUZZ_SEED";

    // Values that sit on boundaries parsers get wrong: zero, sign bits, all ones, ASCII digits and separators.
    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, (byte)'0', (byte)'7', (byte)'9', (byte)' ', (byte)'/', (byte)'.', (byte)'"', (byte)'{', (byte)'['];

    public int Seed { get; } = seed;

    public Random Random { get; } = new(seed);

    /// <summary>Iterations for a fuzz run: <see cref="IterationsVariable"/> when set (long runs), else the short default.</summary>
    public static int IterationsFromEnvironment(int shortDefault) => FromEnvironment(IterationsVariable, shortDefault);

    public static int SeedFromEnvironment(int defaultSeed) => FromEnvironment(SeedVariable, defaultSeed);

    /// <summary>One to three random mutations of any kind below.</summary>
    public byte[] Mutate(byte[] input)
    {
        var output = input;
        for (var rounds = Random.Next(1, 4); rounds > 0; rounds--)
        {
            output = Random.Next(7) switch
            {
                0 => FlipBits(output),
                1 => Truncate(output),
                2 => InsertBytes(output),
                3 => DeleteBytes(output),
                4 => OverwriteInteresting(output),
                5 => DuplicateChunk(output),
                _ => FlipBits(output),
            };
        }
        return output;
    }

    public byte[] FlipBits(byte[] input)
    {
        if (input.Length == 0) return input;
        var output = (byte[])input.Clone();
        for (var flips = Random.Next(1, 9); flips > 0; flips--)
        {
            output[Random.Next(output.Length)] ^= (byte)(1 << Random.Next(8));
        }
        return output;
    }

    public byte[] Truncate(byte[] input) => input.Length == 0 ? input : input[..Random.Next(input.Length)];

    public byte[] InsertBytes(byte[] input)
    {
        var at = Random.Next(input.Length + 1);
        var inserted = new byte[Random.Next(1, 64)];
        if (Random.Next(2) == 0) Random.NextBytes(inserted);
        else Array.Fill(inserted, Interesting[Random.Next(Interesting.Length)]);
        return [.. input.AsSpan(0, at), .. inserted, .. input.AsSpan(at)];
    }

    public byte[] DeleteBytes(byte[] input)
    {
        if (input.Length == 0) return input;
        var at = Random.Next(input.Length);
        var count = Math.Min(Random.Next(1, 64), input.Length - at);
        return [.. input.AsSpan(0, at), .. input.AsSpan(at + count)];
    }

    public byte[] OverwriteInteresting(byte[] input)
    {
        if (input.Length == 0) return input;
        var output = (byte[])input.Clone();
        var at = Random.Next(output.Length);
        var count = Math.Min(Random.Next(1, 12), output.Length - at);
        output.AsSpan(at, count).Fill(Interesting[Random.Next(Interesting.Length)]);
        return output;
    }

    public byte[] DuplicateChunk(byte[] input)
    {
        if (input.Length == 0) return input;
        var from = Random.Next(input.Length);
        var chunk = input.AsSpan(from, Math.Min(Random.Next(1, 1024), input.Length - from));
        var at = Random.Next(input.Length + 1);
        return [.. input.AsSpan(0, at), .. chunk, .. input.AsSpan(at)];
    }

    /// <summary>The start of <paramref name="first"/> followed by the end of <paramref name="second"/>, cut at the given granularity.</summary>
    public byte[] Splice(byte[] first, byte[] second, int alignment = 1)
    {
        var cutFirst = Random.Next(first.Length / alignment + 1) * alignment;
        var cutSecond = Random.Next(second.Length / alignment + 1) * alignment;
        return [.. first.AsSpan(0, cutFirst), .. second.AsSpan(cutSecond)];
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    private static int FromEnvironment(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : fallback;
}
