using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

/// <summary>
/// The stays of every deal as they stood at a past midnight @asOf (the first instant of @day, <see cref="CountedDays.AddBefore"/>),
/// from the counters dated by when stays ended and were entered: the completed stays' dwell (<see cref="TimelineTableSet.EndedStayTotals"/>)
/// and the open stays by their day of entry (<see cref="TimelineTableSet.StayEntryTotals"/>), each summed before @day. A
/// rank is found by day, then hour (or month, then day), then read from a few stays: the cost is the calendar's buckets,
/// not the stays changed since, however far back @asOf lies. Percentiles interpolate as PostgreSQL's percentile_cont does.
/// </summary>
internal static class StaysAtMidnight
{
    /// <summary>
    /// SQL: the sum of <paramref name="table"/>'s n before @day for one key (<paramref name="key"/>, an SQL condition
    /// the index leads with): three ranges of its index, one a span (<see cref="CountedDays.BeforeBySpan"/>).
    /// </summary>
    private static string SumBefore(string table, string key) => string.Join(" + ",
        CountedDays.BeforeBySpan("c").Select(span => $"coalesce((select sum(c.n) from {table} c where c.pipeline_id = @pipeline and {key} and {span}), 0)"));

    /// <summary>
    /// The stored dwell (stage_residencies.days) of a stay that lasted the SQL interval <paramref name="interval"/>, by
    /// the same division: a bound of whole hours or days the rows' rounded days compare with exactly as their durations do.
    /// </summary>
    private static string DaysOf(string interval) => $"(extract(epoch from ({interval})) / 86400)";

    /// <summary>
    /// CTEs <c>dwell_totals(stage, n, mean, max)</c> and <c>dwell_percentiles(stage, p, value)</c> for p 0.5 and 0.9: the
    /// stays completed by @asOf, as <see cref="CompletedDwell"/> gives them from the stays as they stand.
    /// </summary>
    public static readonly string Completed = $"""
        ended_days as materialized (
            select c.stage, c.day, sum(c.n) as n, sum(c.micros) as micros from {TimelineTables.EndedStayTotals} c
            where c.pipeline_id = @pipeline and {CountedDays.Before("c")} group by c.stage, c.day having sum(c.n) > 0
        ), ended_ranked_days as materialized (
            select stage, day, (sum(n) over (partition by stage order by day) - n)::bigint as before from ended_days
        ), dwell_totals as (
            select t.stage, t.n, round(t.micros::numeric / 86400000000 / t.n, 6) as mean, (
                select round(max(r.days), 6) from {TimelineTables.StageResidencies} r
                where r.pipeline_id = @pipeline and r.stage = t.stage and r.days >= {DaysOf("t.max_day * interval '1 day'")}
                  and r.days < {DaysOf("(t.max_day + 1) * interval '1 day'")} and r.exited_at <= @asOf) as max
            from (select stage, sum(n) as n, sum(micros) as micros, max(day) as max_day from ended_days group by stage) t
        ), {CompletedDwell.Ranks}, dwell_percentiles as (
            select k.stage, k.p, {Percentile.Between("k.pos", "x.lo", "x.hi")} as value
            from dwell_ranks k
            cross join lateral (
                select d.day, d.before from ended_ranked_days d where d.stage = k.stage and d.before <= floor(k.pos) order by d.day desc limit 1) b
            cross join lateral (
                select x.hour, x.before from (
                    select h.hour, b.before + sum(h.n) over (order by h.hour) - h.n as before from (
                        select h.hour, {SumBefore(TimelineTables.EndedStayHourTotals, "c.stage = k.stage and c.hour = h.hour")} as n
                        from generate_series(b.day * 24, b.day * 24 + 23) as h(hour)) h
                    where h.n > 0) x
                where x.before <= floor(k.pos) order by x.hour desc limit 1) hb
            cross join lateral (
                select min(w.days)::float8 as lo, max(w.days)::float8 as hi from (
                    select r.days from {TimelineTables.StageResidencies} r
                    where r.pipeline_id = @pipeline and r.stage = k.stage and r.days >= {DaysOf("hb.hour * interval '1 hour'")} and r.exited_at <= @asOf
                    order by r.days offset floor(k.pos)::bigint - hb.before limit 2) w) x
        )
        """;

    /// <summary>CTE <c>open_months(stage, month, n)</c>: the stays open at @asOf by month of entry.</summary>
    private static readonly string OpenMonths = $"""
        open_months as materialized (
            select c.stage, c.entered as month, sum(c.n) as n from {TimelineTables.StayEntryMonthTotals} c
            where c.pipeline_id = @pipeline and {CountedDays.Before("c")} group by c.stage, c.entered having sum(c.n) <> 0
        )
        """;

    /// <summary>
    /// SQL: the stays of <paramref name="stage"/> entered on the day (an SQL date, the counters' day of entry)
    /// <paramref name="day"/> and open at @asOf (their deal, stage and entry), as <c>r</c>: those ended after @asOf and
    /// those still open, each a range of the stays' index by day of entry and exit.
    /// </summary>
    private static string OpenOnDay(string stage, string day)
    {
        string Ended(string condition) =>
            $"select r.deal_id, r.stage, r.entered_at from {TimelineTables.StageResidencies} r where r.pipeline_id = @pipeline and r.stage = {stage} and r.entered_day = {day} and {condition} and r.entered_at <= @asOf";
        return $"({Ended("r.exited_at > @asOf")} union all {Ended("r.exited_at is null")}) r";
    }

    /// <summary>
    /// CTEs <c>stalled_counts(stage, threshold, n)</c> and <c>stalled_first(deal_id, stage, days, threshold)</c>, given
    /// <c>t(stage, threshold)</c>: per stage the stays open at @asOf older than its threshold (in days), as
    /// <see cref="OpenStays.Stalled"/> gives them from the stays as they stand: those entered in the months and days before
    /// the cut's day from the counts, those of its day one by one (the day of a second before the cut, read to a second
    /// after it); and each stage's oldest @offset + @limit, read a day of entry at a time from the first month that holds
    /// open stays, each day's as many as the page still needs (the days of a month read only for the page or the cut).
    /// </summary>
    public static readonly string Stalled = $"""
        {OpenMonths}, cut as (
            select t.stage, t.threshold, d.day, date_trunc('month', d.day)::date as month
            from t cross join lateral (select {OpenStays.DayIn($"({OpenStays.CutOf("t")} - interval '1 second')")} as day) d where t.threshold is not null
        ), stalled_months as (
            select k.stage, k.threshold, k.day as cut_day, k.month as cut_month, m.month, sum(m.n) over (partition by k.stage order by m.month) - m.n as before
            from cut k join open_months m on m.stage = k.stage and m.month <= k.month
        ), stalled_days as (
            select m.stage, m.threshold, e.day, e.n, m.before + sum(e.n) over (partition by m.stage, m.month order by e.day) - e.n as before
            from stalled_months m cross join lateral (
                select e.day::date as day, {SumBefore(TimelineTables.StayEntryTotals, "c.stage = m.stage and c.entered = e.day::date")} as n
                from generate_series(m.month::timestamp, least(m.month + interval '1 month' - interval '1 day', m.cut_day)::timestamp, interval '1 day') as e(day)) e
            where (m.before < @offset + @limit or m.month = m.cut_month) and e.n <> 0
        ), stalled_counts as (
            select k.stage, k.threshold,
                   coalesce((select sum(m.n) from open_months m where m.stage = k.stage and m.month < k.month), 0)
                   + coalesce((select sum(d.n) from stalled_days d where d.stage = k.stage and d.day >= k.month and d.day < k.day), 0)
                   + (select count(*) from {OpenOnDay("k.stage", "k.day")} where r.entered_at < {OpenStays.CutOf("k")} + interval '1 second' and {OpenStays.Age} > k.threshold) as n
            from cut k
        ), stalled_first as (
            select x.* from stalled_days d cross join lateral (
                select r.deal_id, r.stage, {OpenStays.Age} as days, d.threshold from {OpenOnDay("d.stage", "d.day")} where {OpenStays.Age} > d.threshold
                order by r.entered_at, r.deal_id limit greatest(@offset + @limit - d.before, 0)) x
            where d.before < @offset + @limit
        )
        """;

    /// <summary>
    /// CTE <c>open_stays(stage, open, open_p50)</c>: the stays open at @asOf and the median of their ages then, counting
    /// ranks from the youngest, as <see cref="OpenStays.Median"/> gives them from the stays as they stand: each of the two
    /// ranks it interpolates between found by month, then day of entry, then read from that day's stays; ages are at
    /// @asOf, days of entry cut in @zone.
    /// </summary>
    public static readonly string OpenMedian = $"""
        {OpenMonths}, open_totals as (
            select stage, sum(n)::bigint as n, 0.5::float8 * (sum(n) - 1)::float8 as pos from open_months group by stage
        ), open_ranks as (
            select t.stage, t.n, t.pos, r.rank from open_totals t cross join lateral (select distinct rank from (values (floor(t.pos)::bigint), (ceil(t.pos)::bigint)) v(rank)) r
        ), open_month as (
            select k.*, m.month, m.before from open_ranks k cross join lateral (
                select x.month, x.before from (select month, sum(n) over (order by month desc) - n as before from open_months where stage = k.stage) x
                where x.before <= k.rank order by x.before desc limit 1) m
        ), open_day as (
            select m.stage, m.n, m.pos, m.rank, d.day, d.before from open_month m cross join lateral (
                select x.day, x.before from (
                    select e.day, m.before + sum(e.n) over (order by e.day desc) - e.n as before from (
                        select e.day::date as day, {SumBefore(TimelineTables.StayEntryTotals, "c.stage = m.stage and c.entered = e.day::date")} as n
                        from generate_series(m.month::timestamp, (m.month + interval '1 month' - interval '1 day')::timestamp, interval '1 day') as e(day)) e
                    where e.n <> 0) x
                where x.before <= m.rank order by x.before desc limit 1) d
        ), open_ages as (
            select d.stage, d.n, d.pos, d.rank, a.age from open_day d cross join lateral (
                select ({OpenStays.Age})::float8 as age from {OpenOnDay("d.stage", "d.day")}
                order by r.entered_at desc offset d.rank - d.before limit 1) a
        ), open_stays as (
            select stage, n as open, {Percentile.Between("pos", "min(age)", "max(age)")} as open_p50
            from open_ages group by stage, n, pos
        )
        """;
}
