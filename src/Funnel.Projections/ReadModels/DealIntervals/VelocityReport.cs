using System.Text.Json.Serialization;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record VelocityQuery(string PipelineId, ReportFilter Filter, DateTimeOffset? From, DateTimeOffset To, bool Explain)
{
    /// <summary>No end given: the window ends now, and the current deals give the open ones.</summary>
    public bool ToNow { get; init; }

    /// <summary>The organisation's zone, where the close counts' days begin.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>Whole days in the zone (up to now, or to a midnight), with no deal lists: the close and interval counts answer it.</summary>
    public bool Countable => !Explain && CountedDays.WholeDays(From, ToNow ? null : To, Zone);
}

/// <summary>Sales velocity = openCount x closedWinRate x averageWonAmount / averageCycleDays, in amount per day.</summary>
public sealed record VelocityReport(
    long OpenCount, long WonCount, long LostCount, decimal ClosedWinRate, decimal AverageWonAmount, decimal AverageCycleDays, decimal VelocityPerDay,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? OpenDeals, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? WonDeals, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? LostDeals) : IReportAnswer
{
    // Open: deals open at the end of the window. Closed: deals whose current close (won or lost) falls in [from, to).
    private static string Sql(bool toNow, bool explain) => $"""
        with c as (
            select d.deal_id, d.status, d.amount, extract(epoch from (d.closed_at - d.captured_at)) / 86400 as cycle_days
            from {TimelineTables.DealCurrent} d
            where d.pipeline_id = @pipeline and {ReportFilter.Sql("d")} and d.status in ('won', 'lost')
              and d.closed_at < @to and (@from::timestamptz is null or d.closed_at >= @from)
        ), o as (
            select v.deal_id from ({(toNow ? IntervalsInForce.OpenNow : IntervalsInForce.Open)}) v where v.status = 'open' and {ReportFilter.Sql("v")}
        )
        select (select count(*) from o) as open, count(*) filter (where status = 'won') as won, count(*) filter (where status = 'lost') as lost,
               coalesce(avg(amount) filter (where status = 'won'), 0) as average_won, coalesce(avg(cycle_days) filter (where status = 'won'), 0) as cycle_days,
               {DealLists.When(explain, "(select coalesce(array_agg(deal_id order by deal_id), array[]::text[]) from o)")} as open_deals,
               {DealLists.When(explain, "coalesce(array_agg(deal_id order by deal_id) filter (where status = 'won'), array[]::text[])")} as won_deals,
               {DealLists.When(explain, "coalesce(array_agg(deal_id order by deal_id) filter (where status = 'lost'), array[]::text[])")} as lost_deals
        from c
        """;

    // The same from counts: the closes of the window's months and days, and the deals open at its end (the deal counts
    // now, the interval counts at a past instant).
    private static string CountedSql(bool toNow) => $"""
        with c as (
            select c.status, sum(c.n)::bigint as n, sum(c.amount) as amount, sum(c.cycle_micros) as cycle_micros from {TimelineTables.CloseCounts} c
            where c.pipeline_id = @pipeline and {ReportFilter.Sql("c")} and {CountedDays.Within("c")} group by c.status
        ), w as (select * from c where status = 'won' and n > 0)
        select ({(toNow ? OpenNow : OpenThen)}) as open, coalesce((select n from w), 0) as won, coalesce((select n from c where status = 'lost'), 0) as lost,
               coalesce((select amount / n from w), 0) as average_won, coalesce((select cycle_micros::numeric / n / 86400000000 from w), 0) as cycle_days,
               null::text[] as open_deals, null::text[] as won_deals, null::text[] as lost_deals
        """;

    private static readonly string OpenNow =
        $"select coalesce(sum(d.n), 0)::bigint from {TimelineTables.DealCounts} d where d.pipeline_id = @pipeline and d.status = 'open' and {ReportFilter.Sql("d")}";

    private static readonly string OpenThen = $"select coalesce(sum(x.n), 0)::bigint from ({IntervalCountsAt.Sql()}) x where x.status = 'open'";

    public static async Task<VelocityReport> RunAsync(ReportDatabase db, VelocityQuery q, CancellationToken ct) =>
        (await db.QueryAsync(q.Countable && await db.CountedInAsync(q.Zone, ct) ? CountedSql(q.ToNow) : Sql(q.ToNow, q.Explain), c =>
        {
            // The open deals are those open at the last instant of [from, to).
            IntervalsInForce.AddParameters(c, q.PipelineId, q.To.AddTicks(-10), null);
            IntervalCountsAt.AddParameters(c, q.To.AddTicks(-10), q.Zone);
            CountedDays.AddWithin(c, q.From, q.ToNow ? null : q.To, q.Zone);
            ReportDatabase.Add(c, "from", q.From);
            ReportDatabase.Add(c, "to", q.To);
            q.Filter.AddParameters(c);
        }, r =>
        {
            T Column<T>(string name) => ReportDatabase.Column<T>(r, name);
            var (open, won, lost) = (Column<long>("open"), Column<long>("won"), Column<long>("lost"));
            var winRate = ReportDatabase.Ratio(won, won + lost);
            var averageWon = Math.Round(Column<decimal>("average_won"), 6);
            var cycle = Math.Round(Column<decimal>("cycle_days"), 6);
            var velocity = cycle == 0 ? 0 : Math.Round(open * winRate * averageWon / cycle, 6);
            return new VelocityReport(open, won, lost, winRate, averageWon, cycle, velocity,
                q.Explain ? ReportDatabase.Strings(r, "open_deals") : null, q.Explain ? ReportDatabase.Strings(r, "won_deals") : null,
                q.Explain ? ReportDatabase.Strings(r, "lost_deals") : null);
        }, ct)).Single();
}
