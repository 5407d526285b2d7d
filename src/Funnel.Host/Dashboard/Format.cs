using System.Globalization;

namespace Funnel.Host.Dashboard;

/// <summary>How the dashboard writes numbers: one place, so every panel reads alike.</summary>
public static class Format
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>An exact amount with thousands separators (what a test compares with the API).</summary>
    public static string Amount(decimal value) => value.ToString("#,0.##", Culture);

    public static string Count(long value) => value.ToString("#,0", Culture);

    /// <summary>A count with its noun: "1 deal", "12 deals".</summary>
    public static string Count(long value, string noun) => $"{Count(value)} {noun}{(value == 1 ? "" : "s")}";

    /// <summary>A short amount for axes and headlines: 1.2M, 340k.</summary>
    public static string Compact(decimal value) => Math.Abs(value) switch
    {
        >= 1_000_000_000 => (value / 1_000_000_000).ToString("0.#", Culture) + "B",
        >= 1_000_000 => (value / 1_000_000).ToString("0.#", Culture) + "M",
        >= 1_000 => (value / 1_000).ToString("0.#", Culture) + "k",
        _ => value.ToString("0", Culture),
    };

    public static string Percent(decimal ratio) => (ratio * 100).ToString("0.0", Culture) + " %";

    /// <summary>A range of two ratios, the unit once: "20.3–25.9 %".</summary>
    public static string PercentRange(decimal low, decimal high) => (low * 100).ToString("0.0", Culture) + "–" + Percent(high);

    public static string Days(decimal days) => days.ToString("0.0", Culture) + " d";

    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Culture);

    public static string Day(DateOnly day) => day.ToString("d MMM yyyy", Culture);
}
