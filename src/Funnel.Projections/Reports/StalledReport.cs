using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record StalledQuery(string PipelineId, ReportFilter Filter, DateTimeOffset AsOf);

public sealed record StalledDeal(string DealId, string Stage, string Owner, decimal Amount, decimal DaysInStage, decimal ThresholdDays, decimal OverdueDays);

public sealed record StalledReport(IReadOnlyList<StalledDeal> Deals)
{
    // Deals open at asOf whose time in their stage then passes the stage's maxDays, or else the p90 of its completed residencies.
    private static readonly string Sql = $"""
        with p as (
            select s.id, s.max_days from {TimelineTables.Schema}.pipeline_versions pv, jsonb_to_recordset(pv.stages) as s(id text, max_days numeric)
            where pv.pipeline_id = @pipeline and pv.valid_to is null
        ), t as materialized (
            select p.id as stage, coalesce(p.max_days, (
                select percentile_cont(0.9) within group (order by extract(epoch from (r.exited_at - r.entered_at)) / 86400)
                from {TimelineTables.Schema}.stage_residencies r
                where r.pipeline_id = @pipeline and r.stage = p.id and r.exited_at is not null and r.exited_at <= @asOf)::numeric) as threshold
            from p
        ), r as (
            select r.deal_id, r.stage, r.entered_at from {TimelineTables.Schema}.stage_residencies r
            where r.pipeline_id = @pipeline and r.exited_at is null and r.entered_at <= @asOf
            union all
            select r.deal_id, r.stage, r.entered_at from {TimelineTables.Schema}.stage_residencies r
            where r.pipeline_id = @pipeline and r.exited_at > @asOf and r.entered_at <= @asOf
        ), late as (
            select r.*, extract(epoch from (@asOf - r.entered_at)) / 86400 as days, t.threshold
            from r join t on t.stage = r.stage where extract(epoch from (@asOf - r.entered_at)) / 86400 > t.threshold
        ), o as (
            select late.*, v.owner, v.amount from late
            cross join lateral (
                select i.owner, i.team, i.region, i.product, i.amount from {TimelineTables.Schema}.deal_intervals i
                where i.deal_id = late.deal_id and i.valid_from <= @asOf order by i.version desc limit 1) v
            where {ReportFilter.Sql("v")}
        )
        select deal_id, stage, owner, amount, round(days, 6), round(threshold, 6), round(days - threshold, 6)
        from o order by days - threshold desc, deal_id
        """;

    public static async Task<StalledReport> RunAsync(ReportDatabase db, StalledQuery q, CancellationToken ct) =>
        new(await db.QueryAsync(Sql, c =>
        {
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "asOf", q.AsOf);
            q.Filter.AddParameters(c);
        }, r => new StalledDeal(r.GetString(0), r.GetString(1), r.GetString(2), r.GetDecimal(3), r.GetDecimal(4), r.GetDecimal(5), r.GetDecimal(6)), ct));
}
