using Funnel.Domain;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record StalledQuery(string PipelineId, ReportFilter Filter, DateTimeOffset AsOf, int Page = 1, int PageSize = 50)
{
    /// <summary>The day buckets give the thresholds and the open stay counts the stalled ones, put right by the changes since asOf while they are few (<see cref="ChangedSince"/>).</summary>
    public bool AsItStands { get; init; }

    /// <summary>The organisation's zone, where the open stay counts' days begin.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>
    /// Over every deal at a midnight in the zone: when more deals changed after it than the counters as they stand are put
    /// right by (<see cref="ChangedSince"/>), the counters dated by when stays ended and were entered answer it, however far
    /// back (<see cref="StaysAtMidnight"/>).
    /// </summary>
    public bool AtMidnight => AsItStands && Filter.SelectsAll && CountedDays.IsMidnight(AsOf, Zone);

    /// <summary>How many changes after asOf the counters as they stand are put right by before the dated ones answer a midnight instead (tests lower it).</summary>
    /// <remarks>
    /// Not <see cref="ChangedSince.LimitAtMidnight"/>: the dated counters read the oldest stays open at the midnight a day
    /// of entry at a time (at a million deals 90 ms at the latest midnight, 46 ms months back), the changes since, under
    /// 20,000, about 15 ms.
    /// </remarks>
    internal int ChangedLimit { get; init; } = ChangedSince.Limit;

    /// <summary>How many changes after asOf the counters as they stand are put right by (<see cref="ChangedSince"/>).</summary>
    internal int ChangedLimitHere => AtMidnight ? ChangedLimit : ChangedSince.Limit;

    /// <summary>
    /// From which offset a page skips the stays before it by their counts (<see cref="OpenStays.StalledSkipping"/>) when
    /// nothing changed since: at a million deals a page so took 36–40 ms wherever it lay (the second of 50, the 200th), and
    /// read from the stays before it 14 ms for the first and 70 for the 200th, about 5.6 ms more a thousand before it. Tests lower it.
    /// </summary>
    internal int SkipFrom { get; init; } = 4_000;
}

public sealed record StalledDeal(string DealId, string Stage, string Owner, decimal Amount, decimal DaysInStage, decimal ThresholdDays, decimal OverdueDays);

/// <summary>One page of the stalled deals, most overdue first, and how many there are in all.</summary>
public sealed record StalledReport(IReadOnlyList<StalledDeal> Deals, int Page, int PageSize, long Total) : IReportAnswer
{
    // The current definition's stages and their maxDays, as p(id, max_days). Declared first: the statements use it.
    private static readonly string StageLimits = $"""
        p as (
            select s.id, s.max_days from {TimelineTables.PipelineVersions} pv, jsonb_to_recordset(pv.stages) as s(id text, max_days numeric)
            where pv.pipeline_id = @pipeline and pv.valid_to is null
        )
        """;

    // Deals open at asOf whose time in their stage then passes the stage's maxDays, or else the p90 of its completed residencies.
    private static readonly string Sql = $"""
        with {StageLimits}, t as materialized (
            select p.id as stage, coalesce(p.max_days, (
                select percentile_cont(0.9) within group (order by r.days)
                from {TimelineTables.StageResidencies} r
                where r.pipeline_id = @pipeline and r.stage = p.id and r.exited_at is not null and r.exited_at <= @asOf)::numeric) as threshold
            from p
        ), r as (
            select r.deal_id, r.stage, r.entered_at from {TimelineTables.StageResidencies} r
            where r.pipeline_id = @pipeline and r.exited_at is null and r.entered_at <= @asOf
            union all
            select r.deal_id, r.stage, r.entered_at from {TimelineTables.StageResidencies} r
            where r.pipeline_id = @pipeline and r.exited_at > @asOf and r.entered_at <= @asOf
        ), late as (
            select r.*, extract(epoch from (@asOf - r.entered_at)) / 86400 as days, t.threshold
            from r join t on t.stage = r.stage where extract(epoch from (@asOf - r.entered_at)) / 86400 > t.threshold
        ), o as (
            select late.*, v.owner, v.amount from late
            cross join lateral (
                select i.owner, i.team, i.region, i.product, i.amount from {TimelineTables.DealIntervals} i
                where i.deal_id = late.deal_id and i.valid_from <= @asOf order by i.version desc limit 1) v
            where {ReportFilter.Sql("v")}
        )
        {PageOfAll}
        """;

    // Counted: the thresholds from the dwell day buckets, the stalled ones counted and the page drawn from each stage's
    // oldest open stays (which carry their deal's current owner, team, region and product), all put right by the changes
    // since asOf.
    private static string CountedSql(bool filtered, bool skipping = false) => $"""
        with {StageLimits}, {CompletedDwell.Ctes(filtered: false)}, t as materialized (
            select p.id as stage, coalesce(p.max_days, v.value::numeric) as threshold from p left join dwell_percentiles v on v.stage = p.id and v.p = 0.9
        ), {OpenStays.Stalled(filtered)}{(skipping ? $", {OpenStays.StalledSkipping(filtered)}" : "")}
        select page.deal_id, page.stage, page.owner, coalesce(page.amount, (select d.amount from {TimelineTables.DealCurrent} d where d.deal_id = page.deal_id)) as amount,
               round(page.days, 6) as days, round(page.threshold, 6) as threshold, round(page.overdue, 6) as overdue, t.total
        from (select coalesce(sum(n), 0)::bigint as total from stalled_counts) t left join lateral (
            select o.*, o.days - o.threshold as overdue from {(skipping ? "stalled_after" : "stalled_first")} o order by o.days - o.threshold desc, o.deal_id
            limit @limit offset {(skipping ? "@offset - (select n from skip_total)" : "@offset")}) page on true
        order by page.overdue desc, page.deal_id
        """;

    // A page past the first, nothing having changed after asOf: the stays before it counted, not read (OpenStays.StalledSkipping).
    private static readonly string SkippingFiltered = CountedSql(filtered: true, skipping: true);

    private static readonly string SkippingAll = CountedSql(filtered: false, skipping: true);

    // Every deal at a past midnight: the thresholds, the counts and each stage's oldest stays from the counters dated by
    // when stays ended and were entered; each page deal's owner and amount from its interval in force then.
    private static readonly string AtMidnight = $"""
        with {StageLimits}, {StaysAtMidnight.Completed}, t as materialized (
            select p.id as stage, coalesce(p.max_days, v.value::numeric) as threshold from p left join dwell_percentiles v on v.stage = p.id and v.p = 0.9
        ), {StaysAtMidnight.Stalled}
        select page.deal_id, page.stage, v.owner, v.amount, round(page.days, 6) as days, round(page.threshold, 6) as threshold, round(page.overdue, 6) as overdue, t.total
        from (select coalesce(sum(n), 0)::bigint as total from stalled_counts) t left join lateral (
            select o.*, o.days - o.threshold as overdue from stalled_first o order by o.days - o.threshold desc, o.deal_id limit @limit offset @offset) page on true
        left join lateral (
            select i.owner, i.amount from {TimelineTables.DealIntervals} i where i.deal_id = page.deal_id and i.valid_from <= @asOf order by i.version desc limit 1) v on true
        order by page.overdue desc, page.deal_id
        """;

    private static readonly string CountedFiltered = CountedSql(filtered: true);

    private static readonly string CountedAll = CountedSql(filtered: false);

    // The page asked for, and the count of all (one row of nulls and the count when the page is past the end).
    private const string PageOfAll = """
        select page.deal_id, page.stage, page.owner, page.amount, round(page.days, 6) as days, round(page.threshold, 6) as threshold, round(page.overdue, 6) as overdue, t.total
        from (select count(*) as total from o) t left join lateral (
            select o.*, o.days - o.threshold as overdue from o order by o.days - o.threshold desc, o.deal_id limit @limit offset @offset) page on true
        order by page.overdue desc, page.deal_id
        """;

    public static async Task<StalledReport> RunAsync(ReportDatabase db, StalledQuery q, CancellationToken ct)
    {
        long total = 0;
        var sql = q.AsItStands && (q.Page - 1) * q.PageSize >= q.SkipFrom && await db.CountedInAsync(q.Zone, ct) && await db.NothingAfterAsync(q.PipelineId, q.AsOf, ct) ? q.Filter.SelectsAll ? SkippingAll : SkippingFiltered
            : q.AsItStands && await ChangedSince.CountedAsync(db, q.PipelineId, q.AsOf, q.Zone, ct, q.ChangedLimitHere) ? q.Filter.SelectsAll ? CountedAll : CountedFiltered
            : q.AtMidnight && await db.CountedInAsync(q.Zone, ct) ? AtMidnight
            : Sql;
        var deals = await db.QueryAsync(sql, c =>
        {
            CountedDays.AddBefore(c, BusinessTime.DayIn(q.AsOf, q.Zone));
            ReportDatabase.Add(c, "zone", q.Zone.Id);
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "asOf", q.AsOf);
            q.Filter.AddParameters(c);
            c.Parameters.AddWithValue("limit", q.PageSize);
            c.Parameters.AddWithValue("offset", (q.Page - 1) * q.PageSize);
        }, r =>
        {
            T Column<T>(string name) => ReportDatabase.Column<T>(r, name);
            total = Column<long>("total");
            return Column<string?>("deal_id") is not { } dealId ? null : new StalledDeal(
                dealId, Column<string>("stage"), Column<string>("owner"), Column<decimal>("amount"), Column<decimal>("days"), Column<decimal>("threshold"), Column<decimal>("overdue"));
        }, ct);
        return new StalledReport([.. deals.OfType<StalledDeal>()], q.Page, q.PageSize, total);
    }
}
