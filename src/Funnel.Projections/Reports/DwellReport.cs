using System.Text.Json.Serialization;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record DwellQuery(string PipelineId, ReportFilter Filter, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset AsOf, bool Explain);

public sealed record StageDwell(
    string Stage, long Completed, decimal? MeanDays, decimal? P50Days, decimal? P90Days, decimal? MaxDays, long OpenCount, decimal? OpenP50Days,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? CompletedDeals, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? OpenDeals);

public sealed record DwellReport(IReadOnlyList<StageDwell> Stages)
{
    // Completed residencies (exit by asOf, and in [from, to) when given) and residencies still open at asOf, in days.
    private static readonly string Sql = $"""
        with r as (
            select r.stage, r.deal_id, r.entered_at, r.exited_at,
                   (r.exited_at is not null and r.exited_at <= @asOf) as completed,
                   extract(epoch from (least(coalesce(r.exited_at, 'infinity'), @asOf) - r.entered_at)) / 86400 as days
            from {TimelineTables.Schema}.stage_residencies r
            join {TimelineTables.Schema}.deal_current d on d.deal_id = r.deal_id
            where r.pipeline_id = @pipeline and {ReportFilter.Sql("d")} and r.entered_at <= @asOf
        ), c as (
            select * from r where completed and (@from::timestamptz is null or exited_at >= @from) and (@to::timestamptz is null or exited_at < @to)
        ), o as (select * from r where not completed)
        select s.stage,
               (select count(*) from c where c.stage = s.stage),
               (select round(avg(days), 6) from c where c.stage = s.stage),
               (select round(percentile_cont(0.5) within group (order by days)::numeric, 6) from c where c.stage = s.stage),
               (select round(percentile_cont(0.9) within group (order by days)::numeric, 6) from c where c.stage = s.stage),
               (select round(max(days), 6) from c where c.stage = s.stage),
               (select count(*) from o where o.stage = s.stage),
               (select round(percentile_cont(0.5) within group (order by days)::numeric, 6) from o where o.stage = s.stage),
               case when @explain then (select coalesce(array_agg(distinct deal_id), array[]::text[]) from c where c.stage = s.stage) end,
               case when @explain then (select coalesce(array_agg(distinct deal_id), array[]::text[]) from o where o.stage = s.stage) end
        from unnest(@stages) with ordinality as s(stage, n) order by s.n
        """;

    public static async Task<DwellReport> RunAsync(ReportDatabase db, DwellQuery q, IReadOnlyList<string> stageOrder, CancellationToken ct) =>
        new(await db.QueryAsync(Sql, c =>
        {
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "asOf", q.AsOf);
            ReportDatabase.Add(c, "from", q.From);
            ReportDatabase.Add(c, "to", q.To);
            c.Parameters.AddWithValue("explain", q.Explain);
            c.Parameters.AddWithValue("stages", stageOrder.ToArray());
            q.Filter.AddParameters(c);
        }, r => new StageDwell(
            r.GetString(0), r.GetInt64(1), ReportDatabase.NullableDecimal(r, 2), ReportDatabase.NullableDecimal(r, 3), ReportDatabase.NullableDecimal(r, 4),
            ReportDatabase.NullableDecimal(r, 5), r.GetInt64(6), ReportDatabase.NullableDecimal(r, 7),
            q.Explain ? ReportDatabase.Strings(r, 8) : null, q.Explain ? ReportDatabase.Strings(r, 9) : null), ct));
}
