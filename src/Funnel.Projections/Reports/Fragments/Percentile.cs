namespace Funnel.Projections.Reports;

/// <summary>Percentiles read from a few ranked values instead of PostgreSQL's percentile_cont over every one.</summary>
internal static class Percentile
{
    /// <summary>
    /// SQL: the value at the position <paramref name="pos"/> (from 0, as float8) between the values at its floor,
    /// <paramref name="lo"/>, and at its ceiling, <paramref name="hi"/>, interpolated as percentile_cont does.
    /// </summary>
    public static string Between(string pos, string lo, string hi) =>
        $"case when floor({pos}) = ceil({pos}) then {lo} else {lo} + (({pos} - floor({pos})) * ({hi} - {lo})) end";
}
