using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

/// <summary>
/// The stays open at @asOf, from the open stay counts (<see cref="OpenStayCount"/>, the stays open now) put right by the
/// few stays that changed since (<see cref="ChangedSince"/>): how many per stage, and the rank of an entry time among them
/// found by month, then by day, then a few index entries of that day; so a median or the stalled ones past a threshold
/// cost the months and days of the history, not the stays. Filtered as the report asks (<see cref="ReportFilter"/>);
/// ages are at @asOf, days cut in @zone.
/// </summary>
internal static class OpenStays
{
    private static readonly string Open = $"{TimelineTables.StageResidencies} r where r.pipeline_id = @pipeline and r.exited_at is null and {ReportFilter.Sql("r")}";

    public const string Age = "extract(epoch from (@asOf - r.entered_at)) / 86400";

    /// <summary>The day (an SQL date) the instant <paramref name="instant"/> falls in, in @zone.</summary>
    public static string DayIn(string instant) => $"({instant} at time zone @zone)::date";

    /// <summary>The instant a stay entered before is older at @asOf than the threshold of <paramref name="stage"/> (in days, as float8: within a second).</summary>
    public static string CutOf(string stage) => OlderAt("@asOf", stage);

    /// <summary>The instant a stay entered before is older at the instant <paramref name="at"/> than the threshold of <paramref name="stage"/>.</summary>
    private static string OlderAt(string at, string stage) => $"({at} - {stage}.threshold::float8 * 86400 * interval '1 second')";

    /// <summary>The instant the day (an SQL date) <paramref name="day"/> begins in @zone.</summary>
    public static string Midnight(string day) => $"({day}::timestamp at time zone @zone)";

    /// <summary>The open stay counts a report reads: filtered as it asks, or their totals over every deal.</summary>
    private static (string Table, string Filter) Counts(bool filtered) =>
        filtered ? (TimelineTables.OpenStayCounts, ReportFilter.Sql("c")) : (TimelineTables.OpenStayTotals, "true");

    /// <summary>
    /// CTE <c>open_stays(stage, open, open_p50)</c>: each stage's open stays and the median of their ages (as
    /// percentile_cont interpolates it, in float8), counting ranks from the youngest; for the stages @stages (named, so the
    /// stays begun after @asOf are an index range per stage, not a scan of every open stay).
    /// </summary>
    public static string Median(bool filtered) => $"""
        open_later as materialized (
            select r.stage, r.entered_at, 1 as n, ({DayIn("r.entered_at")}) as day from {TimelineTables.StageResidencies} r
            where r.pipeline_id = @pipeline and r.exited_at > @asOf and r.entered_at <= @asOf and {ReportFilter.Sql("r")}
            union all
            select r.stage, r.entered_at, -1, ({DayIn("r.entered_at")}) from {TimelineTables.StageResidencies} r
            where r.pipeline_id = @pipeline and r.stage = any(@stages) and r.exited_at is null and r.entered_at > @asOf and {ReportFilter.Sql("r")}
        ), open_months as (
            select stage, month, sum(n) as n from (
                select c.stage, c.bucket as month, c.n from {Counts(filtered).Table} c
                where c.pipeline_id = @pipeline and c.span = '{CounterCalendar.Month}' and {Counts(filtered).Filter}
                union all
                select stage, date_trunc('month', day)::date, n from open_later) x
            group by stage, month having sum(n) <> 0
        ), open_totals as (
            select stage, sum(n)::bigint as n, 0.5::float8 * (sum(n) - 1)::float8 as pos from open_months group by stage
        ), open_month as (
            select t.stage, t.n, t.pos, m.month, m.before from open_totals t cross join lateral (
                select x.month, x.before from (select month, sum(n) over (order by month desc) - n as before from open_months where stage = t.stage) x
                where x.before <= floor(t.pos) order by x.before desc limit 1) m
        ), open_day as (
            select m.stage, m.n, m.pos, d.day, d.before from open_month m cross join lateral (
                select x.day, x.before from (
                    select c.day, m.before + sum(sum(c.n)) over (order by c.day desc) - sum(c.n) as before from (
                        select c.bucket as day, c.n from {Counts(filtered).Table} c
                        where c.pipeline_id = @pipeline and c.span = '{CounterCalendar.Day}' and c.stage = m.stage and c.bucket >= m.month
                          and c.bucket < (m.month + interval '1 month')::date and {Counts(filtered).Filter}
                        union all
                        select l.day, l.n from open_later l where l.stage = m.stage and l.day >= m.month and l.day < (m.month + interval '1 month')::date) c
                    group by c.day having sum(c.n) <> 0) x
                where x.before <= floor(m.pos) order by x.before desc limit 1) d
        ), open_stays as (
            select d.stage, d.n as open, {Percentile.Between("d.pos", "a.lo", "a.hi")} as open_p50
            from open_day d cross join lateral (
                select min(w.age) as lo, max(w.age) as hi from (
                    select ({Age})::float8 as age from (
                        (select r.entered_at from {Open} and r.stage = d.stage and r.entered_at < {Midnight("(d.day + 1)")} and r.entered_at <= @asOf
                         order by r.entered_at desc limit floor(d.pos)::bigint - d.before + 2)
                        union all
                        select l.entered_at from open_later l where l.n = 1 and l.stage = d.stage and l.entered_at < {Midnight("(d.day + 1)")}) r
                    order by r.entered_at desc offset floor(d.pos)::bigint - d.before limit 2) w) a
        )
        """;

    /// <summary>
    /// CTEs <c>stalled_counts(stage, threshold, n)</c> and <c>stalled_first(deal_id, stage, owner, amount, days, threshold)</c>,
    /// given <c>t(stage, threshold)</c>: per stage the stays open at @asOf older than its threshold (in days). Those open
    /// now: the counts of the days before the day of the cut, and the stays of that day up to the cut one by one
    /// (the day is that of a second before the cut, and the stays are read to a second after it, since the cut, in
    /// float8, may fall a little either side of the instant it stands for: every stay before that day is older by a second); less those of the deals changed since @asOf, which
    /// are read as they stood then (<see cref="ChangedSince"/>). And each stage's oldest @offset + @limit of them, from
    /// which any page of the most overdue is drawn.
    /// </summary>
    public static string Stalled(bool filtered) => $"""
        {ChangedSince.Deals(activities: false)}, cut_day as (
            select t.stage, t.threshold, {DayIn($"({CutOf("t")} - interval '1 second')")} as day from t where t.threshold is not null
        ), cut as (
            select d.*, date_trunc('year', d.day)::date as day_year, date_trunc('month', d.day)::date as day_month from cut_day d
        ), stalled_then as materialized (
            select r.deal_id, r.stage, v.owner, v.amount, {Age} as days, t.threshold
            from changed ch cross join lateral (
                select r.* from {TimelineTables.StageResidencies} r where r.deal_id = ch.deal_id and r.pipeline_id = @pipeline and r.entered_at <= @asOf
                and (r.exited_at is null or r.exited_at > @asOf)) r
            {ChangedSince.IntervalAt("ch")} join t on t.stage = r.stage
            where {Age} > t.threshold and {ReportFilter.Sql("v")}
        ), stalled_counts as (
            select k.stage, k.threshold,
                   coalesce((select sum(c.n) from {Counts(filtered).Table} c
                             where c.pipeline_id = @pipeline and c.stage = k.stage and {Counts(filtered).Filter} and {CountedDays.Before("c", "k.day", "k.day_year", "k.day_month")}), 0)
                   + (select count(*) from {Open} and r.stage = k.stage and r.entered_at >= {Midnight("k.day")} and r.entered_at < {CutOf("k")} + interval '1 second'
                        and {Age} > k.threshold)
                   - (select count(*) from changed ch cross join lateral (select 1 from {Open} and r.deal_id = ch.deal_id and r.stage = k.stage and {Age} > k.threshold) x)
                   + (select count(*) from stalled_then s where s.stage = k.stage) as n
            from cut k
        ), stalled_first as (
            select x.* from cut k cross join lateral (
                select r.deal_id, r.stage, r.owner, null::numeric as amount, {Age} as days, k.threshold
                from {Open} and r.stage = k.stage and {Age} > k.threshold and r.deal_id not in (select deal_id from changed)
                order by r.entered_at, r.deal_id limit @offset + @limit) x
            union all
            select deal_id, stage, owner, amount, days, threshold from stalled_then
        )
        """;

    /// <summary>
    /// CTE <c>stalled_after(deal_id, stage, owner, amount, days, threshold)</c> and the count <c>skip_total</c> of those
    /// before it, given <c>t(stage, threshold)</c>, when nothing changed after @asOf: a deep page without reading the stays
    /// before it. The most overdue come first, so the stalled stays before a midnight's key (entry plus the stage's
    /// threshold) precede every later one, whatever their stage. For each midnight before asOf's day (its stays before it
    /// are stalled then by a day at least, however the thresholds round), the open stay counts by day of entry bound how
    /// many precede it (all stays of the days before each stage's cut day, and perhaps those of the cut day), and the
    /// latest midnight they surely put no further than @offset is taken: those before it are counted (the cut day's one
    /// by one), and each stage's stays from it are read, as many as the page still needs.
    /// </summary>
    public static string StalledSkipping(bool filtered) => $"""
        skip_days as materialized (
            select c.stage, c.bucket as day, sum(c.n) as n from {Counts(filtered).Table} c
            where c.pipeline_id = @pipeline and c.span = '{CounterCalendar.Day}' and {Counts(filtered).Filter} group by c.stage, c.bucket having sum(c.n) <> 0
        ), skip_calendar as materialized (
            select t.stage, d.day::date as day, coalesce(s.n, 0) as n, coalesce(sum(s.n) over (partition by t.stage order by d.day), 0) - coalesce(s.n, 0) as before
            from t cross join generate_series((select min(day) from skip_days)::timestamp, ({DayIn("@asOf")} - 1)::timestamp, interval '1 day') as d(day)
            left join skip_days s on s.stage = t.stage and s.day = d.day::date
            where t.threshold is not null
        ), skip_bounds as (
            select k.day, sum(coalesce(c.before + c.n, 0)) as high
            from (select distinct day from skip_calendar) k cross join t
            left join skip_calendar c on c.stage = t.stage and c.day = {DayIn(OlderAt(Midnight("k.day"), "t"))}
            where t.threshold is not null
            group by k.day
        ), skip_from as materialized (
            select t.stage, t.threshold, f.from_at,
                   coalesce((select c.before from skip_calendar c where c.stage = t.stage and c.day = {DayIn("f.from_at")}), 0)
                   + (select count(*) from {Open} and r.stage = t.stage and r.entered_at >= {Midnight(DayIn("f.from_at"))} and r.entered_at < f.from_at) as skipped
            from t cross join lateral (
                select coalesce({OlderAt(Midnight("(select max(b.day) from skip_bounds b where b.high <= @offset)"), "t")}, '-infinity') as from_at) f
            where t.threshold is not null
        ), skip_total as (
            select coalesce(sum(skipped), 0) as n from skip_from
        ), stalled_after as (
            select x.* from skip_from k cross join lateral (
                select r.deal_id, r.stage, r.owner, null::numeric as amount, {Age} as days, k.threshold
                from {Open} and r.stage = k.stage and r.entered_at >= k.from_at and {Age} > k.threshold
                order by r.entered_at, r.deal_id limit greatest(@offset + @limit - (select n from skip_total), 0)) x
        )
        """;
}
