using System.Text.Json.Serialization;
using Funnel.Projections.Timeline;
using Npgsql;

namespace Funnel.Projections.Reports;

public sealed record SnapshotQuery(string PipelineId, ReportFilter Filter, DateTimeOffset AsOf, DateTimeOffset? KnownAt, bool CurrentProbabilities, bool Explain)
{
    /// <summary>Now, as known now, without deal lists: when nothing happened after now, the current deals and the running counts answer it.</summary>
    public bool AsItStands { get; init; }

    /// <summary>probabilities=observed: each stage weighed by its observed win rate (<see cref="CalibrationReport.ObservedAsync"/>).</summary>
    public IReadOnlyDictionary<string, decimal>? Observed { get; init; }

    /// <summary>As known now (no knownAt given).</summary>
    public bool KnownNow { get; init; }

    /// <summary>The organisation's zone, where the interval counts' days begin.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>As known now, without deal lists: the interval counts answer it at any instant.</summary>
    public bool Countable => KnownNow && !Explain;

    /// <summary>As known at an earlier instant, at an asOf not before it, without deal lists: the known interval counts answer it.</summary>
    public bool KnownCountable => !KnownNow && KnownAt is { } known && AsOf >= known && !Explain;
}

public sealed record SnapshotStage(string Stage, long Count, decimal Amount, decimal WeightedAmount, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Deals, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long[]? Versions);

public sealed record SnapshotOutcome(long Count, decimal Amount, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Deals, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long[]? Versions);

public sealed record SnapshotReport(DateTimeOffset AsOf, DateTimeOffset? KnownAt, IReadOnlyList<SnapshotStage> Stages, SnapshotOutcome Won, SnapshotOutcome Lost) : IReportAnswer
{
    private static string Sql(bool explain) => $"""
        with v as ({IntervalsInForce.All}), p as (
            {PipelineStages.Probabilities("@pipeline", "@asOf", "@knownAt")}
        ), f as (
            select v.*, coalesce(p.probability, 0) as probability from v left join p on p.id = v.stage where {ReportFilter.Sql("v")}
        )
        select case when status = 'open' then stage else status end as stage, count(*) as n, coalesce(sum(amount), 0) as amount,
               coalesce(sum(amount * probability), 0) as weighted,
               {DealLists.When(explain, "array_agg(deal_id order by deal_id)")} as deals, {DealLists.When(explain, "array_agg(version::bigint order by deal_id)")} as versions
        from f group by 1
        """;

    private static readonly string CountedSql = $"""
        with p as (
            {PipelineStages.Probabilities("@pipeline", "@asOf", "@knownAt")}
        ), o as (
            select d.stage, d.amount, coalesce(p.probability, 0) as probability from {TimelineTables.DealCurrent} d left join p on p.id = d.stage
            where d.pipeline_id = @pipeline and d.status = 'open' and {ReportFilter.Sql("d")}
        ), closed as (
            select c.status, sum(c.n)::bigint as n, sum(c.amount) as amount from {TimelineTables.DealCounts} c
            where c.pipeline_id = @pipeline and c.status <> 'open' and {ReportFilter.Sql("c")} group by c.status
        )
        select stage, count(*) as n, coalesce(sum(amount), 0) as amount, coalesce(sum(amount * probability), 0) as weighted, null::text[] as deals,
               null::bigint[] as versions
        from o group by stage
        union all
        select status, n, amount, 0, null, null from closed where n <> 0
        """;

    // At any instant, now too, as known now (or as known at an instant not after it): the interval counts (the
    // probabilities weigh each stage's sum).
    private static string CountedAtSql(bool known) => $"""
        with p as (
            {PipelineStages.Probabilities("@pipeline", "@asOf", "@knownAt")}
        ), s as ({IntervalCountsAt.Sql(known: known)})
        select case when s.status = 'open' then s.stage else s.status end as stage, sum(s.n)::bigint as n, sum(s.amount) as amount,
               sum(s.amount * coalesce(p.probability, 0)) as weighted, null::text[] as deals, null::bigint[] as versions
        from s left join p on p.id = s.stage group by 1
        """;

    public static async Task<SnapshotReport> RunAsync(ReportDatabase db, SnapshotQuery q, IReadOnlyList<string> stageOrder, CancellationToken ct)
    {
        var sql = (q.Countable || q.KnownCountable) && await db.CountedInAsync(q.Zone, ct) ? CountedAtSql(q.KnownCountable)
            : q.AsItStands && await db.NothingAfterAsync(q.PipelineId, q.AsOf, ct) ? CountedSql
            : Sql(q.Explain);
        var rows = (await db.QueryAsync(sql, c =>
        {
            IntervalsInForce.AddParameters(c, q.PipelineId, q.AsOf, q.KnownAt);
            IntervalCountsAt.AddParameters(c, q.KnownCountable ? q.KnownAt!.Value : q.AsOf, q.Zone);
            PipelineStages.AddParameters(c, q.CurrentProbabilities, q.Observed);
            q.Filter.AddParameters(c);
        }, r => new SnapshotStage(
            ReportDatabase.Column<string>(r, "stage"), ReportDatabase.Column<long>(r, "n"), ReportDatabase.Column<decimal>(r, "amount"), ReportDatabase.Column<decimal>(r, "weighted"),
            q.Explain ? ReportDatabase.Strings(r, "deals") : null, q.Explain ? ReportDatabase.Longs(r, "versions") : null), ct)).ToDictionary(s => s.Stage);

        SnapshotOutcome Outcome(string status) => rows.TryGetValue(status, out var s)
            ? new SnapshotOutcome(s.Count, s.Amount, s.Deals, s.Versions)
            : new SnapshotOutcome(0, 0, q.Explain ? [] : null, q.Explain ? [] : null);

        var stages = stageOrder.Select(s => rows.GetValueOrDefault(s) ?? new SnapshotStage(s, 0, 0, 0, q.Explain ? [] : null, q.Explain ? [] : null)).ToList();
        return new SnapshotReport(q.AsOf, q.KnownAt, stages, Outcome("won"), Outcome("lost"));
    }
}
