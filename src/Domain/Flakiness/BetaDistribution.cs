namespace Seismo.Domain.Flakiness;

/// <summary>The regularised incomplete beta function, allocation-free (Lentz continued fraction, Lanczos log-gamma).</summary>
internal static class BetaDistribution
{
    private const int MaxIterations = 300;
    private const double Epsilon = 1e-12;
    private const double Tiny = 1e-300;

    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    /// <summary>I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b).</summary>
    public static double Cdf(double x, double a, double b)
    {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        var logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        // The continued fraction converges fast only on this side of the mean; use symmetry on the other.
        return x < (a + 1) / (a + b + 2)
            ? Math.Exp(logFront) * ContinuedFraction(a, b, x) / a
            : 1 - Math.Exp(logFront) * ContinuedFraction(b, a, 1 - x) / b;
    }

    internal static double LogGamma(double x)
    {
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++) sum += Lanczos[i] / (x + i);
        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    private static double ContinuedFraction(double a, double b, double x)
    {
        double qab = a + b, qap = a + 1, qam = a - 1;
        double c = 1, d = NonZero(1 - qab * x / qap);
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= MaxIterations; m++)
        {
            var m2 = 2 * m;
            var even = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 / NonZero(1 + even * d);
            c = NonZero(1 + even / c);
            h *= d * c;
            var odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 / NonZero(1 + odd * d);
            c = NonZero(1 + odd / c);
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Epsilon) break;
        }
        return h;
    }

    private static double NonZero(double v) => Math.Abs(v) < Tiny ? Tiny : v;
}
