namespace Funnel.Domain.Forecasting;

/// <summary>
/// A win rate observed among closed deals, with its 95 % Wilson score interval: unlike the plain ± 1.96·σ interval it
/// stays inside [0, 1] and is honest for small counts and for rates near 0 or 1, which a young stage's record has.
/// </summary>
public sealed record WinRate(long Won, long Closed, decimal? Rate, decimal? Low, decimal? High)
{
    /// <summary>The normal quantile for a two-sided 95 % interval.</summary>
    private const double Z = 1.959963984540054;

    public static WinRate Of(long won, long closed)
    {
        if (closed == 0)
        {
            return new WinRate(0, 0, null, null, null);
        }

        double n = closed, p = (double)won / closed, z2 = Z * Z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = Z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new WinRate(won, closed, Round(p), Round(Math.Max(0, centre - half)), Round(Math.Min(1, centre + half)));
    }

    private static decimal Round(double value) => Math.Round((decimal)value, 6, MidpointRounding.AwayFromZero);
}
