using System.Text.Json.Serialization;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public enum ForecastGrouping
{
    Stage,
    Owner,
    Team,
    Region,
    Product,
    CloseMonth,
}

public sealed record ForecastQuery(string PipelineId, ReportFilter Filter, ForecastGrouping GroupBy, DateTimeOffset AsOf, bool CurrentProbabilities, bool Explain)
{
    /// <summary>No asOf or knownAt given: the current deals answer it.</summary>
    public bool Now { get; init; }

    /// <summary>Only what had been recorded by this instant (as it was known then); null is as known now.</summary>
    public DateTimeOffset? KnownAt { get; init; }

    /// <summary>probabilities=observed: each stage weighed by its observed win rate (<see cref="CalibrationReport.ObservedAsync"/>).</summary>
    public IReadOnlyDictionary<string, decimal>? Observed { get; init; }

    /// <summary>The organisation's zone, where the interval counts' days begin.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>
    /// Without deal lists, by a key the interval counts keep, as known now or at an instant not after asOf: they answer it
    /// at any instant.
    /// </summary>
    public bool Countable => !Explain && (KnownAt is null || AsOf >= KnownAt) && GroupBy != ForecastGrouping.CloseMonth;
}

public sealed record ForecastGroup(string? Key, long Count, decimal TotalAmount, decimal WeightedAmount, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Deals);

public sealed record ForecastReport(long Count, decimal TotalAmount, decimal WeightedAmount, IReadOnlyList<ForecastGroup> Groups) : IReportAnswer
{
    /// <summary>Open deals at asOf (as known at knownAt), with the amount each had then, weighted by the probabilities in force then (or today's).</summary>
    private static string Sql(ForecastGrouping groupBy, bool now, bool explain) => $"""
        with v as ({(now ? IntervalsInForce.OpenNow : IntervalsInForce.Open)}), p as (
            {PipelineStages.Probabilities("@pipeline", "@asOf", "@knownAt")}
        ), o as (
            select v.*, coalesce(p.probability, 0) as probability from v left join p on p.id = v.stage where v.status = 'open' and {ReportFilter.Sql("v")}
        )
        select {Key(groupBy)} as key, count(*) as n, coalesce(sum(amount), 0) as amount, coalesce(sum(amount * probability), 0) as weighted,
               {DealLists.When(explain, "array_agg(deal_id order by deal_id)")} as deals
        from o group by 1 order by 1 nulls last
        """;

    /// <summary>The same from the interval counts, each stage's sums weighted by its probability.</summary>
    private static string CountedSql(ForecastGrouping groupBy, bool known) => $"""
        with p as (
            {PipelineStages.Probabilities("@pipeline", "@asOf", "@knownAt")}
        ), s as ({IntervalCountsAt.Sql(Key(groupBy), known)})
        select s.key, sum(s.n)::bigint as n, sum(s.amount) as amount, sum(s.amount * coalesce(p.probability, 0)) as weighted, null::text[] as deals
        from s left join p on p.id = s.stage where s.status = 'open' group by 1 order by 1 nulls last
        """;

    public static async Task<ForecastReport> RunAsync(ReportDatabase db, ForecastQuery q, CancellationToken ct)
    {
        var sql = q.Countable && await db.CountedInAsync(q.Zone, ct) ? CountedSql(q.GroupBy, q.KnownAt is not null) : Sql(q.GroupBy, q.Now, q.Explain);
        var groups = await db.QueryAsync(sql, c =>
        {
            IntervalsInForce.AddParameters(c, q.PipelineId, q.AsOf, q.KnownAt);
            IntervalCountsAt.AddParameters(c, q.KnownAt ?? q.AsOf, q.Zone);
            PipelineStages.AddParameters(c, q.CurrentProbabilities, q.Observed);
            q.Filter.AddParameters(c);
        }, r => new ForecastGroup(
            ReportDatabase.Column<string?>(r, "key"), ReportDatabase.Column<long>(r, "n"), ReportDatabase.Column<decimal>(r, "amount"), ReportDatabase.Column<decimal>(r, "weighted"),
            q.Explain ? ReportDatabase.Strings(r, "deals") : null), ct);
        return new ForecastReport(groups.Sum(g => g.Count), groups.Sum(g => g.TotalAmount), groups.Sum(g => g.WeightedAmount), groups);
    }

    private static string Key(ForecastGrouping groupBy) => groupBy switch
    {
        ForecastGrouping.Stage => "stage",
        ForecastGrouping.Owner => "owner",
        ForecastGrouping.Team => "team",
        ForecastGrouping.Region => "region",
        ForecastGrouping.Product => "product",
        _ => "to_char(expected_close, 'YYYY-MM')",
    };
}
