using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

/// <summary>
/// Every residency's dwell per stage completed by @asOf (no window), without sorting the stays: the day buckets give
/// the count, the sum and the day holding each rank, the hour buckets the hour within it, and the index on (stage, days)
/// reads the one or two values at that rank from the hour's first stay. The buckets count every completed stay: those
/// completed after @asOf (none as the funnel stands, few at a recent instant) are read and taken out. Percentiles
/// interpolate exactly as PostgreSQL's percentile_cont does (in float8).
/// </summary>
internal static class CompletedDwell
{
    /// <summary>CTE <c>dwell_ranks(stage, p, pos)</c>, given <c>dwell_totals</c>: the position of p 0.5 and 0.9 among each stage's stays, from 0.</summary>
    public static readonly string Ranks = """
        dwell_ranks as (
            select t.stage, q.p, q.p * (t.n - 1)::float8 as pos from dwell_totals t cross join (values (0.5::float8), (0.9::float8)) as q(p)
        )
        """;

    /// <summary>
    /// CTEs <c>dwell_totals(stage, n, mean, max)</c> and <c>dwell_percentiles(stage, p, value)</c> for p 0.5 and 0.9,
    /// over the stays of the deals the report's filters select (<paramref name="filtered"/>) or of all deals (from the
    /// buckets' totals over the filter attributes).
    /// </summary>
    public static string Ctes(bool filtered)
    {
        var (buckets, hours, stays) = filtered
            ? ($"{TimelineTables.DwellCounts} c where c.pipeline_id = @pipeline and {ReportFilter.Sql("c")}", $"{TimelineTables.DwellHourCounts} h where h.pipeline_id = @pipeline and {ReportFilter.Sql("h")}", ReportFilter.Sql("r"))
            : ($"{TimelineTables.DwellTotals} c where c.pipeline_id = @pipeline", $"{TimelineTables.DwellHourTotals} h where h.pipeline_id = @pipeline", "true");
        return $"""
            dwell_later as materialized (
                select r.stage, r.days from {TimelineTables.StageResidencies} r where r.pipeline_id = @pipeline and r.exited_at > @asOf and {stays}
            ), dwell_days as materialized (
                select stage, day, sum(n) as n, sum(sum_days) as sum_days from (
                    select c.stage, c.day, c.n, c.sum_days from {buckets}
                    union all
                    select stage, floor(days)::integer, -1, -days from dwell_later) x
                group by stage, day having sum(n) > 0
            ), dwell_ranked_days as materialized (
                select stage, day, (sum(n) over (partition by stage order by day) - n)::bigint as before from dwell_days
            ), dwell_totals as (
                select t.stage, t.n, round(t.sum_days / t.n, 6) as mean, (
                    select round(r.days, 6) from {TimelineTables.StageResidencies} r
                    where r.pipeline_id = @pipeline and r.stage = t.stage and r.days is not null and r.exited_at <= @asOf and {stays} order by r.days desc limit 1) as max
                from (select stage, sum(n) as n, sum(sum_days) as sum_days from dwell_days group by stage) t
            ), {Ranks}, dwell_percentiles as (
                select k.stage, k.p, {Percentile.Between("k.pos", "x.lo", "x.hi")} as value
                from dwell_ranks k
                cross join lateral (
                    select d.day, d.before from dwell_ranked_days d where d.stage = k.stage and d.before <= floor(k.pos) order by d.day desc limit 1) b
                cross join lateral (
                    select x.hour, x.before from (
                        select h.hour, b.before + sum(sum(h.n)) over (order by h.hour) - sum(h.n) as before from (
                            select h.hour, h.n from {hours}
                              and h.stage = k.stage and h.hour >= b.day * 24 and h.hour < (b.day + 1) * 24
                            union all
                            select floor(l.days * 24)::integer, -1 from dwell_later l where l.stage = k.stage and l.days >= b.day and l.days < b.day + 1) h
                        group by h.hour having sum(h.n) > 0) x
                    where x.before <= floor(k.pos) order by x.hour desc limit 1) hb
                cross join lateral (
                    select min(w.days)::float8 as lo, max(w.days)::float8 as hi from (
                        select r.days from {TimelineTables.StageResidencies} r
                        where r.pipeline_id = @pipeline and r.stage = k.stage and r.days is not null and r.days >= trunc(hb.hour::numeric / 24, 20) and r.exited_at <= @asOf and {stays}
                        order by r.days offset floor(k.pos)::bigint - hb.before limit 2) w) x
            )
            """;
    }
}
