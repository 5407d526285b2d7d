using System.Text.Json.Serialization;
using Funnel.Domain;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record DwellQuery(string PipelineId, ReportFilter Filter, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset AsOf, bool Explain)
{
    /// <summary>No window or deal lists: the day buckets answer it, put right by the changes since asOf while they are few (<see cref="ChangedSince"/>).</summary>
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
    internal int ChangedLimit { get; init; } = ChangedSince.LimitAtMidnight;

    /// <summary>How many changes after asOf the counters as they stand are put right by (<see cref="ChangedSince"/>).</summary>
    internal int ChangedLimitHere => AtMidnight ? ChangedLimit : ChangedSince.Limit;
}

public sealed record StageDwell(
    string Stage, long Completed, decimal? MeanDays, decimal? P50Days, decimal? P90Days, decimal? MaxDays, long OpenCount, decimal? OpenP50Days,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? CompletedDeals, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? OpenDeals);

public sealed record DwellReport(IReadOnlyList<StageDwell> Stages) : IReportAnswer
{
    // Completed residencies (exit by asOf, and in [from, to) when given) with their stored days, and residencies open at
    // asOf with their age then: each part an index range (exits in the window; still open; left after asOf).
    private static string Sql(bool explain) => $"""
        with r as (
            select r.stage, r.deal_id, true as counted, r.days from {TimelineTables.StageResidencies} r
            where r.pipeline_id = @pipeline and r.exited_at is not null and r.exited_at <= @asOf and {ReportFilter.Sql("r")}
              and (@from::timestamptz is null or r.exited_at >= @from) and (@to::timestamptz is null or r.exited_at < @to)
            union all
            select r.stage, r.deal_id, false, extract(epoch from (@asOf - r.entered_at)) / 86400 from {TimelineTables.StageResidencies} r
            where r.pipeline_id = @pipeline and r.exited_at is null and r.entered_at <= @asOf and {ReportFilter.Sql("r")}
            union all
            select r.stage, r.deal_id, false, extract(epoch from (@asOf - r.entered_at)) / 86400 from {TimelineTables.StageResidencies} r
            where r.pipeline_id = @pipeline and r.exited_at is not null and r.exited_at > @asOf and r.entered_at <= @asOf and {ReportFilter.Sql("r")}
        ), g as (
            select stage, count(*) filter (where counted) as completed, round(avg(days) filter (where counted), 6) as mean,
                   round((percentile_cont(0.5) within group (order by days) filter (where counted))::numeric, 6) as p50,
                   round((percentile_cont(0.9) within group (order by days) filter (where counted))::numeric, 6) as p90,
                   round(max(days) filter (where counted), 6) as max, count(*) filter (where not counted) as open,
                   round((percentile_cont(0.5) within group (order by days) filter (where not counted))::numeric, 6) as open_p50,
                   {DealLists.When(explain, "coalesce(array_agg(distinct deal_id) filter (where counted), array[]::text[])")} as completed_deals,
                   {DealLists.When(explain, "coalesce(array_agg(distinct deal_id) filter (where not counted), array[]::text[])")} as open_deals
            from r group by stage
        )
        select s.stage, coalesce(g.completed, 0) as completed, g.mean, g.p50, g.p90, g.max, coalesce(g.open, 0) as open, g.open_p50,
               {DealLists.When(explain, "coalesce(g.completed_deals, array[]::text[])")} as completed_deals,
               {DealLists.When(explain, "coalesce(g.open_deals, array[]::text[])")} as open_deals
        from unnest(@stages) with ordinality as s(stage, n) left join g on g.stage = s.stage order by s.n
        """;

    // The same figures from the counts: completed stays from the dwell day buckets, open ones from their counts, each put
    // right by the stays that changed after asOf.
    private static string CountedSql(string completed, string open) => $"""
        with {completed}, {open}
        select s.stage, coalesce(t.n, 0)::bigint as completed, t.mean, round(p50.value::numeric, 6) as p50, round(p90.value::numeric, 6) as p90, t.max,
               coalesce(o.open, 0) as open, round(o.open_p50::numeric, 6) as open_p50
        from unnest(@stages) with ordinality as s(stage, n) left join dwell_totals t on t.stage = s.stage
        left join dwell_percentiles p50 on p50.stage = s.stage and p50.p = 0.5 left join dwell_percentiles p90 on p90.stage = s.stage and p90.p = 0.9
        left join open_stays o on o.stage = s.stage order by s.n
        """;

    private static readonly string CountedFiltered = CountedSql(CompletedDwell.Ctes(filtered: true), OpenStays.Median(filtered: true));

    private static readonly string CountedAll = CountedSql(CompletedDwell.Ctes(filtered: false), OpenStays.Median(filtered: false));

    // Every deal at a past midnight: the same figures from the counters dated by when stays ended and were entered.
    private static readonly string AtMidnight = CountedSql(StaysAtMidnight.Completed, StaysAtMidnight.OpenMedian);

    public static async Task<DwellReport> RunAsync(ReportDatabase db, DwellQuery q, IReadOnlyList<string> stageOrder, CancellationToken ct) =>
        new(await db.QueryAsync(q.AsItStands && await ChangedSince.CountedAsync(db, q.PipelineId, q.AsOf, q.Zone, ct, q.ChangedLimitHere) ? q.Filter.SelectsAll ? CountedAll : CountedFiltered
            : q.AtMidnight && await db.CountedInAsync(q.Zone, ct) ? AtMidnight
            : Sql(q.Explain), c =>
        {
            CountedDays.AddBefore(c, BusinessTime.DayIn(q.AsOf, q.Zone));
            ReportDatabase.Add(c, "zone", q.Zone.Id);
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "asOf", q.AsOf);
            ReportDatabase.Add(c, "from", q.From);
            ReportDatabase.Add(c, "to", q.To);
            c.Parameters.AddWithValue("stages", stageOrder.ToArray());
            q.Filter.AddParameters(c);
        }, r =>
        {
            T Column<T>(string name) => ReportDatabase.Column<T>(r, name);
            return new StageDwell(
                Column<string>("stage"), Column<long>("completed"), Column<decimal?>("mean"), Column<decimal?>("p50"), Column<decimal?>("p90"),
                Column<decimal?>("max"), Column<long>("open"), Column<decimal?>("open_p50"),
                q.Explain ? ReportDatabase.Strings(r, "completed_deals") : null, q.Explain ? ReportDatabase.Strings(r, "open_deals") : null);
        }, ct));
}
