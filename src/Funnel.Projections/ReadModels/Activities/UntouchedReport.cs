using Funnel.Domain;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record UntouchedQuery(string PipelineId, ReportFilter Filter, DateTimeOffset AsOf, TimeSpan Untouched, int Page = 1, int PageSize = 50)
{
    /// <summary>
    /// May answer from the funnel as it stands: from the counts, less the changes since asOf while they are few
    /// (<see cref="ChangedSince"/>); else, when nothing happened after asOf, from the current deals by an index.
    /// </summary>
    public bool AsItStands { get; init; }

    /// <summary>The organisation's zone, where the open touch counts' days begin.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>The last instant a deal may have been touched and be untouched at asOf.</summary>
    public DateTimeOffset Cut => AsOf - Untouched;

    /// <summary>
    /// May answer from the touch span counts at any past instant: at a midnight in the zone (the counts' days are whole
    /// days; a cut inside a day, as a span across a change of summer time gives, reads that day's spans).
    /// </summary>
    public bool SpansCountable => AsItStands && CountedDays.IsMidnight(AsOf, Zone);
}

/// <summary>An open deal nobody has logged an activity on for a while: its last activity (if any) and since when it is untouched.</summary>
public sealed record UntouchedDeal(string DealId, string Stage, string Owner, decimal Amount, DateTimeOffset? LastActivityAt, DateTimeOffset UntouchedSince, decimal DaysUntouched);

/// <summary>
/// The deals open at asOf with no activity in the <c>untouched</c> span before it (a deal never worked counts from its capture),
/// most neglected first, paged, with how many there are in all.
/// </summary>
public sealed record UntouchedReport(decimal UntouchedDays, IReadOnlyList<UntouchedDeal> Deals, int Page, int PageSize, long Total) : IReportAnswer
{
    private static readonly string Sql = $"""
        with v as ({IntervalsInForce.Open}), t as (
            select v.deal_id, v.stage, v.owner, v.amount, c.captured_at,
                   (select max(a.occurred_at) from {TimelineTables.Activities} a where a.deal_id = v.deal_id and a.occurred_at <= @asOf) as last_activity
            from v join {TimelineTables.DealCurrent} c on c.deal_id = v.deal_id
            where {ReportFilter.Sql("v")}
        ), o as (
            select t.*, coalesce(t.last_activity, t.captured_at) as since from t where coalesce(t.last_activity, t.captured_at) <= @asOf - @untouched
        )
        {PageOfAll}
        """;

    // As it stands: each current open deal carries its last touch (rows written before activities existed: their capture).
    private static readonly string CurrentSql = $"""
        with c as (
            select d.deal_id, d.stage, d.owner, d.amount, d.last_activity_at as last_activity, coalesce(d.last_touch_at, d.captured_at) as since
            from {TimelineTables.DealCurrent} d where d.pipeline_id = @pipeline and d.status = 'open' and {ReportFilter.Sql("d")}
        ), o as (select * from c where since <= @asOf - @untouched)
        {PageOfAll}
        """;

    // The open deals now last touched before the cut's day, from their counts, and those of its day up to the cut one by
    // one (declared before the statements built from it).
    private static readonly string CountedTotal = $"""
        select coalesce((select sum({CountedDays.Signed("c", "c.n")}) from {TimelineTables.OpenTouchCounts} c where c.pipeline_id = @pipeline and {ReportFilter.Sql("c")} and {CountedDays.StateBefore("c")}), 0)
               + (select count(*) from {TimelineTables.DealCurrent} d where d.pipeline_id = @pipeline and d.status = 'open' and {ReportFilter.Sql("d")}
                    and d.last_touch_at >= @dayStart and d.last_touch_at <= @cut) as total
        """;

    // Counted, as it stands less the deals changed since asOf (a deal event or an activity after it) as they stand, plus
    // those deals as they stood at asOf (open then, last touched by the cut); the page from both, the rest by the index of
    // open deals in order of last touch, from the index alone (a deep page read the row of every deal before it: 100 ms
    // for the 200th at a million deals), and then the page's rows. As the funnel stands, nothing changed since.
    private static readonly string CountedSql = $"""
        with {ChangedSince.Deals(activities: true)}, at_then as (
            select v.deal_id, v.stage, v.owner, v.amount, l.last as last_activity, coalesce(l.last, c.captured_at) as since
            from changed ch {ChangedSince.IntervalAt("ch")}
            cross join lateral (select c.captured_at from {TimelineTables.DealCurrent} c where c.deal_id = ch.deal_id) c
            cross join lateral (select max(a.occurred_at) as last from {TimelineTables.Activities} a where a.deal_id = ch.deal_id and a.occurred_at <= @asOf) l
            where v.pipeline_id = @pipeline and v.status = 'open' and {ReportFilter.Sql("v")} and coalesce(l.last, c.captured_at) <= @cut
        ), t as (
            select ({CountedTotal}) - (select count(*) from changed ch cross join lateral (
                                           select 1 from {TimelineTables.DealCurrent} d where d.deal_id = ch.deal_id
                                           and d.status = 'open' and {ReportFilter.Sql("d")} and d.last_touch_at <= @cut) d)
                   + (select count(*) from at_then) as total
        )
        select page.deal_id, coalesce(now.stage, page.stage) as stage, coalesce(now.owner, page.owner) as owner, coalesce(now.amount, page.amount) as amount,
               case when page.now then now.last_activity_at else page.last_activity end as last_activity, page.since,
               round((extract(epoch from (@asOf - page.since)) / 86400)::numeric, 6) as days, t.total
        from t left join lateral (
            select x.* from (
                (select d.deal_id, null::text as stage, null::text as owner, null::numeric as amount, null::timestamptz as last_activity, d.since, true as now
                 from ({OpenNowByTouch("d.deal_id not in (select deal_id from changed)")} limit @offset + @limit) d)
                union all select at_then.*, false from at_then) x
            order by x.since, x.deal_id limit @limit offset @offset) page on true
        left join {TimelineTables.DealCurrent} now on page.now and now.deal_id = page.deal_id
        order by page.since, page.deal_id
        """;

    // From the touch span counts: the deals open at asOf (the open span counts up to its day) less those touched from the
    // cut's day on (the touch span counts of the touch days from the cut's to asOf's, begun and not ended before asOf's
    // day), plus those touched on the cut's own day up to the cut, read from its spans when the cut lies inside it. The
    // page from the touch spans a touch day at a time, oldest first, each day's by an index range of its own ("offset 0"
    // keeps it so: joined flat, the planner scanned every span) until the page is full; each deal's stage, owner and
    // amount from its interval in force at asOf. Filtered: the open deals from the open interval counts, the touched ones
    // from the touch span counts under their attributes a touch day at a time (a day's pairs of days before asOf's, by
    // the key), and each span's deal by its interval at asOf (a span is cut where the deal's holder changes, so its
    // interval then has the span's attributes).
    private static readonly string SpansSql = SpansFrom(filtered: false);

    private static readonly string FilteredSpansSql = SpansFrom(filtered: true);

    private static string SpansFrom(bool filtered)
    {
        var (open, touched) = filtered
            ? ($"select sum({CountedDays.Signed("c", "c.n")}) from {TimelineTables.IntervalCounts} c where c.pipeline_id = @pipeline and c.status = 'open' and {ReportFilter.Sql("c")} and {CountedDays.StateBefore("c")}",
               $"""
                select sum(c.n) from generate_series(@cutDay::timestamp, @asOfDay::timestamp - interval '1 day', interval '1 day') d
                cross join lateral (select sum(c.n) as n from {TimelineTables.TouchSpanAttributeCounts} c
                                    where c.pipeline_id = @pipeline and c.touch_day = d::date and c.day < @asOfDay and {ReportFilter.Sql("c")}) c
                """)
            : ($"select sum({CountedDays.Signed("c", "c.n")}) from {TimelineTables.OpenSpanCounts} c where c.pipeline_id = @pipeline and {CountedDays.StateBefore("c")}",
               $"select sum(c.n) from {TimelineTables.TouchSpanCounts} c where c.pipeline_id = @pipeline and c.touch_day >= @cutDay and c.touch_day < @asOfDay and c.day < @asOfDay");
        // The interval in force at asOf of a span's deal, meeting a condition.
        string InForce(string span, string condition) =>
            $"select i.stage, i.owner, i.amount from {TimelineTables.DealIntervals} i where i.deal_id = {span}.deal_id and i.status = 'open' and i.period @> @asOf and {condition} limit 1";
        var held = filtered ? $"and exists ({InForce("s", ReportFilter.Sql("i"))})" : "";
        return $"""
            with t as (
                select coalesce(({open}), 0)
                     - coalesce(({touched}), 0)
                     + (select count(*) from {TimelineTables.TouchSpans} s
                        where @cutInside and s.pipeline_id = @pipeline and s.touch_day = @cutDay and s.touched_at <= @cut and s.valid_to > @asOf and s.valid_from <= @asOf {held}) as total
            ), page as (
                select s.deal_id, s.touched_at, s.worked
                from (select d::date as touch_day
                      from generate_series((select min(c.touch_day) from {TimelineTables.TouchSpanCounts} c where c.pipeline_id = @pipeline)::timestamp,
                                           @cutDay::timestamp, interval '1 day') d order by 1) days
                cross join lateral (
                    select s.deal_id, s.touched_at, s.worked from {TimelineTables.TouchSpans} s
                    where s.pipeline_id = @pipeline and s.touch_day = days.touch_day and s.valid_to > @asOf and s.valid_from <= @asOf and s.touched_at <= @cut {held}
                    order by s.touched_at, s.deal_id offset 0) s
                order by days.touch_day, s.touched_at, s.deal_id limit @limit offset @offset
            )
            select page.deal_id, v.stage, v.owner, v.amount, case when page.worked then page.touched_at end as last_activity, page.touched_at as since,
                   round((extract(epoch from (@asOf - page.touched_at)) / 86400)::numeric, 6) as days, t.total
            from t left join (page cross join lateral ({InForce("page", "true")}) v) on true
            order by page.touched_at, page.deal_id
            """;
    }

    // The open deals now last touched by the cut (and meeting a condition), in order of last touch, from an index alone.
    private static string OpenNowByTouch(string condition) =>
        $"select d.deal_id, d.last_touch_at as since from {TimelineTables.DealCurrent} d where d.pipeline_id = @pipeline and d.status = 'open' and {ReportFilter.Sql("d")} and d.last_touch_at <= @cut " +
        $"and {condition} order by d.last_touch_at, d.deal_id";

    // The page asked for, and the count of all (one row of nulls and the count when the page is past the end).
    private const string PageOfAll = """
        select page.deal_id, page.stage, page.owner, page.amount, page.last_activity, page.since,
               round((extract(epoch from (@asOf - page.since)) / 86400)::numeric, 6) as days, t.total
        from (select count(*) as total from o) t left join lateral (select o.* from o order by o.since, o.deal_id limit @limit offset @offset) page on true
        order by page.since, page.deal_id
        """;

    public static async Task<UntouchedReport> RunAsync(ReportDatabase db, UntouchedQuery q, CancellationToken ct)
    {
        long total = 0;
        var bySpans = q.SpansCountable && await db.CountedInAsync(q.Zone, ct);
        var sql = bySpans ? (q.Filter.SelectsAll ? SpansSql : FilteredSpansSql)
            : q.AsItStands && await ChangedSince.CountedAsync(db, q.PipelineId, q.AsOf, q.Zone, ct) ? CountedSql
            : q.AsItStands && await db.NothingAfterAsync(q.PipelineId, q.AsOf, ct) ? CurrentSql
            : Sql;
        var deals = await db.QueryAsync(sql, c =>
        {
            ReportDatabase.Add(c, "cut", q.Cut);
            ReportDatabase.Add(c, "dayStart", BusinessTime.MidnightIn(BusinessTime.DayIn(q.Cut, q.Zone), q.Zone));
            // The state the counts are summed to: the deals open at asOf from the touch span counts, else those last touched by the cut.
            CountedDays.AddStateBefore(c, BusinessTime.DayIn(bySpans ? q.AsOf : q.Cut, q.Zone));
            IntervalsInForce.AddParameters(c, q.PipelineId, q.AsOf, null);
            ReportDatabase.Add(c, "untouched", q.Untouched);
            c.Parameters.AddWithValue("cutDay", BusinessTime.DayIn(q.Cut, q.Zone));
            c.Parameters.AddWithValue("cutInside", !CountedDays.IsMidnight(q.Cut, q.Zone));
            c.Parameters.AddWithValue("asOfDay", BusinessTime.DayIn(q.AsOf, q.Zone));
            q.Filter.AddParameters(c);
            c.Parameters.AddWithValue("limit", q.PageSize);
            c.Parameters.AddWithValue("offset", (q.Page - 1) * q.PageSize);
        }, r =>
        {
            T Column<T>(string name) => ReportDatabase.Column<T>(r, name);
            total = Column<long>("total");
            return Column<string?>("deal_id") is not { } dealId ? null : new UntouchedDeal(
                dealId, Column<string>("stage"), Column<string>("owner"), Column<decimal>("amount"), Column<DateTimeOffset?>("last_activity"),
                Column<DateTimeOffset>("since"), Column<decimal>("days"));
        }, ct);
        return new UntouchedReport(Math.Round((decimal)q.Untouched.TotalDays, 6), [.. deals.OfType<UntouchedDeal>()], q.Page, q.PageSize, total);
    }
}
