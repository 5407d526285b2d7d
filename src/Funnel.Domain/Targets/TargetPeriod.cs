using System.Globalization;
using System.Text.RegularExpressions;

namespace Funnel.Domain.Targets;

/// <summary>A month (2026-03), a quarter (2026-Q1) or a year (2026): the calendar days [Start, End) a target covers.</summary>
public sealed partial record TargetPeriod(string Text, DateOnly Start, DateOnly End)
{
    public static (TargetPeriod? Period, Rejection? Rejection) Parse(string? text)
    {
        var match = Shape().Match(text ?? "");
        if (!match.Success)
        {
            return (null, Rejection.Invalid("period", "period-format", "period is a month (2026-03), a quarter (2026-Q1) or a year (2026)."));
        }

        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        var (start, months) = match.Groups["month"].Success ? (new DateOnly(year, int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture), 1), 1)
            : match.Groups["quarter"].Success ? (new DateOnly(year, (int.Parse(match.Groups["quarter"].Value, CultureInfo.InvariantCulture) - 1) * 3 + 1, 1), 3)
            : (new DateOnly(year, 1, 1), 12);
        return (new TargetPeriod(text!, start, start.AddMonths(months)), null);
    }

    /// <summary>How much of the period lies before <paramref name="at"/> (0 before it starts, 1 after it ends): the linear path's share.</summary>
    public decimal ElapsedAt(DateTimeOffset at, TimeZoneInfo zone)
    {
        var (from, to) = (StartIn(zone), EndIn(zone));
        return at <= from ? 0m : at >= to ? 1m : Math.Round((decimal)((at - from).TotalSeconds / (to - from).TotalSeconds), 6);
    }

    public DateTimeOffset StartIn(TimeZoneInfo zone) => BusinessTime.MidnightIn(Start, zone);

    public DateTimeOffset EndIn(TimeZoneInfo zone) => BusinessTime.MidnightIn(End, zone);

    [GeneratedRegex(@"^(?<year>(19|2\d)\d\d)(-(?<month>0[1-9]|1[0-2])|-Q(?<quarter>[1-4]))?$")]
    private static partial Regex Shape();
}
