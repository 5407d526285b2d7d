using Funnel.Domain;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Projections.Reports;

/// <summary>
/// The deals in force at an instant, by status and stage, from the interval counts: the months and days before the
/// instant's day (<see cref="CounterCalendar"/>), and the intervals begun or ended on that day up to the instant (none
/// when it is a midnight). As known at an earlier instant K, the same from the known interval counts, by recorded time up
/// to K, with the few intervals recorded just before K that are dated after asOf put right one by one. Read only where the
/// counters were cut in the report's zone (<see cref="ReportDatabase.CountedInAsync"/>).
/// </summary>
internal static class IntervalCountsAt
{
    /// <summary>How far a business time may lie after its recording (the domain's allowed skew, with a margin for the commit).</summary>
    private static readonly TimeSpan RecordedLead = BusinessTime.AllowedSkew * 2;

    /// <summary>
    /// status, stage, n, amount of the pipeline's intervals (filtered) in force at @asOf, per status and stage and, when
    /// <paramref name="by"/> names a filter attribute (or the stage), per its value too as <c>key</c>; groups with none are
    /// left out. <paramref name="known"/>: as known at @knownAt, for an @asOf not before it.
    /// </summary>
    internal static string Sql(string? by = null, bool known = false)
    {
        var (counted, row, key) = by is null ? ("", "", "") : ($", nullif(c.{by}, '')", $", i.{by}", ", key");
        var (table, begins, ends, at) = known
            ? (TimelineTables.KnownIntervalCounts, "recorded_at", "closed_recorded_at", "@knownAt")
            : (TimelineTables.IntervalCounts, "valid_from", "valid_to", "@asOf");
        // Rows of intervals that begin (sign "1") or end ("-1") in force under a condition.
        string Rows(string sign, string condition) =>
            $"select i.status, i.stage{row}, {sign}, {sign} * i.amount from {TimelineTables.DealIntervals} i where i.pipeline_id = @pipeline and {ReportFilter.Sql("i")} and {condition}";
        var corrections = known
            ? $"""
                union all
                {Rows("-1", "i.recorded_at > @knownFrom and i.recorded_at <= @knownAt and i.valid_from > @asOf and (i.closed_recorded_at is null or i.closed_recorded_at > @knownAt)")}
                union all
                {Rows("1", "i.closed_recorded_at > @knownFrom and i.closed_recorded_at <= @knownAt and i.valid_to > @asOf and i.valid_from <= @asOf")}
                """
            : "";
        return $"""
            select status, stage{key}, sum(n)::bigint as n, sum(amount) as amount from (
                select c.status, c.stage{counted}, {CountedDays.Signed("c", "c.n")}, {CountedDays.Signed("c", "c.amount")} from {table} c
                where c.pipeline_id = @pipeline and {ReportFilter.Sql("c")}
                  and {CountedDays.StateBefore("c")}
                union all
                {Rows("1", $"i.{begins} > @dayStart and i.{begins} <= {at}")}
                union all
                {Rows("-1", $"i.{ends} > @dayStart and i.{ends} <= {at}")}
                {corrections}
            ) x (status, stage{key}, n, amount) group by status, stage{key} having sum(n) <> 0
            """;
    }

    /// <summary>
    /// The buckets before the day of <paramref name="at"/> (asOf, or knownAt when known: <see cref="CountedDays.StateBefore"/>),
    /// @dayStart (where the rows of that day begin) and @knownFrom (from when an interval recorded may be dated after asOf).
    /// </summary>
    internal static void AddParameters(NpgsqlCommand c, DateTimeOffset at, TimeZoneInfo zone)
    {
        var day = BusinessTime.DayIn(at, zone);
        CountedDays.AddStateBefore(c, day);
        ReportDatabase.Add(c, "dayStart", BusinessTime.MidnightIn(day, zone));
        ReportDatabase.Add(c, "knownFrom", at - RecordedLead);
    }
}
