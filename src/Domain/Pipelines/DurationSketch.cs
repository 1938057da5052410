namespace Seismo.Domain.Pipelines;

/// <summary>
/// A mergeable quantile sketch of durations in seconds (DDSketch-style): a value v &gt; 0 goes to bucket
/// ceil(log_γ v) with γ = (1 + α) / (1 − α), so every quantile it answers is within relative error α of a value that
/// was added. Buckets are counts, so sketches merge by adding and an update can be taken back by subtracting.
/// Values below <see cref="MinValue"/> (including 0) are counted apart and answered as 0.
/// </summary>
public sealed class DurationSketch
{
    public const double RelativeAccuracy = 0.005;
    public const double MinValue = 1e-3;
    private static readonly double Gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double LogGamma = Math.Log(Gamma);

    public DurationSketch() { }

    public DurationSketch(Dictionary<int, long> bins, long zeros)
    {
        Bins = bins;
        Zeros = zeros;
        Count = zeros + bins.Values.Sum();
    }

    /// <summary>Bucket index → count; only buckets that were used are present.</summary>
    public Dictionary<int, long> Bins { get; } = [];
    public long Zeros { get; private set; }
    public long Count { get; private set; }

    public void Add(double value, long count = 1)
    {
        if (count == 0 || double.IsNaN(value)) return;
        if (value < MinValue) Zeros += count;
        else
        {
            var index = IndexOf(value);
            var next = Bins.GetValueOrDefault(index) + count;
            if (next <= 0) Bins.Remove(index); else Bins[index] = next;
        }
        Count += count;
    }

    /// <summary>Takes back a value added before (a run whose duration was corrected).</summary>
    public void Remove(double value) => Add(value, -1);

    public void Merge(DurationSketch other)
    {
        foreach (var (index, count) in other.Bins) Bins[index] = Bins.GetValueOrDefault(index) + count;
        Zeros += other.Zeros;
        Count += other.Count;
    }

    /// <summary>The q-quantile (0..1) by the nearest-rank method (the ⌈q·n⌉-th smallest value); null when empty.</summary>
    public double? Quantile(double q)
    {
        if (Count <= 0) return null;
        var rank = Math.Max(0, (long)Math.Ceiling(Math.Clamp(q, 0, 1) * Count) - 1);
        if (rank < Zeros) return 0;
        var seen = Zeros;
        foreach (var index in Bins.Keys.Order())
        {
            seen += Bins[index];
            if (seen > rank) return ValueOf(index);
        }
        return ValueOf(Bins.Keys.Max());
    }

    internal static int IndexOf(double value) => (int)Math.Ceiling(Math.Log(value) / LogGamma);

    // The point of the bucket (γ^(i−1), γ^i] equally far, relatively, from both ends.
    internal static double ValueOf(int index) => 2 * Math.Pow(Gamma, index) / (Gamma + 1);
}
