using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Projections.Reports;

/// <summary>The calendar days (in the organisation's zone) from <paramref name="FirstDay"/> to <paramref name="LastDay"/>, weekends too when asked.</summary>
public sealed record DaysWithoutRecordQuery(string PipelineId, ReportFilter Filter, DateOnly FirstDay, DateOnly LastDay, bool Weekends, TimeZoneInfo Zone)
{
    /// <summary>Whether the interval counts may say who held an open deal when (else the intervals are read: their reference).</summary>
    public bool Countable { get; init; } = true;
}

/// <summary>A rep's days with open deals to work, how many of them have a record, and the ones without.</summary>
public sealed record RepRecord(string Rep, int Days, int Recorded, IReadOnlyList<DateOnly> Missing);

/// <summary>
/// "No record means it did not happen": per rep who held an open deal of the pipeline, the days on which they held one (at
/// any moment of the day) and logged no activity at all (on any deal, or none), most days missing first. A day on which
/// the rep held no open deal is not counted.
/// </summary>
public sealed record DaysWithoutRecordReport(DateOnly FirstDay, DateOnly LastDay, bool Weekends, IReadOnlyList<RepRecord> Reps) : IReportAnswer
{
    // A rep's day counts when they held an open deal of the pipeline at some moment of it (an open interval of theirs
    // overlaps the day, by the range index): a day between two deals, holding none, owes no record.
    private static readonly string ScannedSql = $"""
        with days as (
            select d::date as day, (d::date::timestamp at time zone @zone) as starts, ((d::date + 1)::timestamp at time zone @zone) as ends
            from generate_series(@firstDay::date, @lastDay::date, interval '1 day') d
            where @weekends or extract(isodow from d) < 6
        ), held as (
            select distinct i.owner as rep, days.day, days.starts, days.ends
            from days join {TimelineTables.DealIntervals} i
              on i.status = 'open' and i.pipeline_id = @pipeline and {ReportFilter.Sql("i")} and i.period && tstzrange(days.starts, days.ends)
        ){Due}
        """;

    // The same from the interval counts: per rep, the open deals in force at the first day's start (the buckets before
    // it), then day by day those in force at each day's start and those begun on it.
    private static readonly string CountedSql = $"""
        with c as (
            select c.owner, c.span, c.bucket, sum(c.n) as n, sum(c.began) as began from {TimelineTables.IntervalCounts} c
            where c.pipeline_id = @pipeline and c.status = 'open' and {ReportFilter.Sql("c")}
              and ({CountedDays.Before("c")} or (c.span = '{CounterCalendar.Day}' and c.bucket >= @firstDay and c.bucket <= @lastDay))
            group by c.owner, c.span, c.bucket
        ), opening as (
            select owner, coalesce(sum(n) filter (where bucket < @firstDay), 0) as n from c group by owner
        ), grid as (
            select o.owner, o.n as opening, d::date as day from opening o cross join generate_series(@firstDay::date, @lastDay::date, interval '1 day') d
        ), running as (
            select g.owner, g.day, coalesce(b.began, 0) as began,
                   g.opening + coalesce(sum(b.n) over (partition by g.owner order by g.day rows between unbounded preceding and 1 preceding), 0) as at_start
            from grid g left join c b on b.owner = g.owner and b.span = '{CounterCalendar.Day}' and b.bucket = g.day
        ), held as (
            select owner as rep, day, (day::timestamp at time zone @zone) as starts, ((day + 1)::timestamp at time zone @zone) as ends from running
            where (at_start > 0 or began > 0) and (@weekends or extract(isodow from day) < 6)
        ){Due}
        """;

    // Whether each rep's held day has a record: one index probe per rep and day.
    private const string Due = $"""
        , due as (
            select h.rep, h.day, exists (
                select 1 from {TimelineTables.Activities} a where a.rep = h.rep and a.occurred_at >= h.starts and a.occurred_at < h.ends) as recorded
            from held h
        )
        select rep, count(*)::int as days, (count(*) filter (where recorded))::int as recorded, array_agg(day order by day) filter (where not recorded) as missing
        from due group by rep
        order by count(*) filter (where not recorded) desc, rep
        """;

    public static async Task<DaysWithoutRecordReport> RunAsync(ReportDatabase db, DaysWithoutRecordQuery q, CancellationToken ct)
    {
        var sql = q.Countable && await db.CountedInAsync(q.Zone, ct) ? CountedSql : ScannedSql;
        var reps = await db.QueryAsync(sql, c =>
        {
            CountedDays.AddBefore(c, q.FirstDay);
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "zone", q.Zone.Id);
            c.Parameters.AddWithValue("firstDay", q.FirstDay);
            c.Parameters.AddWithValue("lastDay", q.LastDay);
            c.Parameters.AddWithValue("weekends", q.Weekends);
            q.Filter.AddParameters(c);
        }, r => new RepRecord(ReportDatabase.Column<string>(r, "rep"), ReportDatabase.Column<int>(r, "days"), ReportDatabase.Column<int>(r, "recorded"),
            ReportDatabase.Column<DateOnly[]?>(r, "missing") ?? []), ct);
        return new DaysWithoutRecordReport(q.FirstDay, q.LastDay, q.Weekends, reps);
    }
}
