using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Projections.Reports;

/// <summary>The calendar days (in the organisation's zone) from <paramref name="FirstDay"/> to <paramref name="LastDay"/>, weekends too when asked.</summary>
public sealed record DaysWithoutRecordQuery(string PipelineId, ReportFilter Filter, DateOnly FirstDay, DateOnly LastDay, bool Weekends, TimeZoneInfo Zone);

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
    private static readonly string Sql = $"""
        with days as (
            select d::date as day, (d::date::timestamp at time zone @zone) as starts, ((d::date + 1)::timestamp at time zone @zone) as ends
            from generate_series(@firstDay::date, @lastDay::date, interval '1 day') d
            where @weekends or extract(isodow from d) < 6
        ), held as (
            select distinct i.owner as rep, days.day, days.starts, days.ends
            from days join {TimelineTables.DealIntervals} i
              on i.status = 'open' and i.pipeline_id = @pipeline and {ReportFilter.Sql("i")} and i.period && tstzrange(days.starts, days.ends)
        ), due as (
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
        var reps = await db.QueryAsync(Sql, c =>
        {
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
