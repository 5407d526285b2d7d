using Funnel.Domain;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Projections.Reports;

/// <summary>
/// The deals in force at an instant, by status and stage, from the interval counts: the months and days before the
/// instant's day (<see cref="CounterCalendar"/>), and the intervals begun or ended on that day up to the instant (none
/// when it is a midnight). Read only where the counters were cut in the report's zone (<see cref="ReportDatabase.CountedInAsync"/>).
/// </summary>
internal static class IntervalCountsAt
{
    /// <summary>
    /// status, stage, n, amount of the pipeline's intervals (filtered) in force at @asOf, per status and stage and, when
    /// <paramref name="by"/> names a filter attribute (or the stage), per its value too as <c>key</c>; groups with none are left out.
    /// </summary>
    internal static string Sql(string? by = null)
    {
        var (counted, row, key) = by is null ? ("", "", "") : ($", nullif(c.{by}, '')", $", i.{by}", ", key");
        return $"""
            select status, stage{key}, sum(n)::bigint as n, sum(amount) as amount from (
                select c.status, c.stage{counted}, c.n, c.amount from {TimelineTables.IntervalCounts} c
                where c.pipeline_id = @pipeline and {ReportFilter.Sql("c")}
                  and {CountedDays.Before("c")}
                union all
                select i.status, i.stage{row}, 1, i.amount from {TimelineTables.DealIntervals} i
                where i.pipeline_id = @pipeline and i.valid_from > @dayStart and i.valid_from <= @asOf and {ReportFilter.Sql("i")}
                union all
                select i.status, i.stage{row}, -1, -i.amount from {TimelineTables.DealIntervals} i
                where i.pipeline_id = @pipeline and i.valid_to > @dayStart and i.valid_to <= @asOf and {ReportFilter.Sql("i")}
            ) x (status, stage{key}, n, amount) group by status, stage{key} having sum(n) <> 0
            """;
    }

    /// <summary>The buckets before @asOf's day (<see cref="CountedDays.Before"/>), and @dayStart (where the rows of that day begin).</summary>
    internal static void AddParameters(NpgsqlCommand c, DateTimeOffset asOf, TimeZoneInfo zone)
    {
        var day = BusinessTime.DayIn(asOf, zone);
        CountedDays.AddBefore(c, day);
        ReportDatabase.Add(c, "dayStart", BusinessTime.MidnightIn(day, zone));
    }
}
