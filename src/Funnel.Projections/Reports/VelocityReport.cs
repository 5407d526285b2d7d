using System.Text.Json.Serialization;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record VelocityQuery(string PipelineId, ReportFilter Filter, DateTimeOffset? From, DateTimeOffset To, bool Explain)
{
    /// <summary>No end given: the window ends now, and the current deals give the open ones.</summary>
    public bool ToNow { get; init; }
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
        select (select count(*) from o), count(*) filter (where status = 'won'), count(*) filter (where status = 'lost'),
               coalesce(avg(amount) filter (where status = 'won'), 0), coalesce(avg(cycle_days) filter (where status = 'won'), 0),
               {DealLists.When(explain, "(select coalesce(array_agg(deal_id order by deal_id), array[]::text[]) from o)")},
               {DealLists.When(explain, "coalesce(array_agg(deal_id order by deal_id) filter (where status = 'won'), array[]::text[])")},
               {DealLists.When(explain, "coalesce(array_agg(deal_id order by deal_id) filter (where status = 'lost'), array[]::text[])")}
        from c
        """;

    public static async Task<VelocityReport> RunAsync(ReportDatabase db, VelocityQuery q, CancellationToken ct) =>
        (await db.QueryAsync(Sql(q.ToNow, q.Explain), c =>
        {
            // The open deals are those open at the last instant of [from, to).
            IntervalsInForce.AddParameters(c, q.PipelineId, q.To.AddTicks(-10), null);
            ReportDatabase.Add(c, "from", q.From);
            ReportDatabase.Add(c, "to", q.To);
            q.Filter.AddParameters(c);
        }, r =>
        {
            var (open, won, lost) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
            var winRate = ReportDatabase.Ratio(won, won + lost);
            var averageWon = Math.Round(r.GetDecimal(3), 6);
            var cycle = Math.Round(r.GetDecimal(4), 6);
            var velocity = cycle == 0 ? 0 : Math.Round(open * winRate * averageWon / cycle, 6);
            return new VelocityReport(open, won, lost, winRate, averageWon, cycle, velocity,
                q.Explain ? ReportDatabase.Strings(r, 5) : null, q.Explain ? ReportDatabase.Strings(r, 6) : null, q.Explain ? ReportDatabase.Strings(r, 7) : null);
        }, ct)).Single();
}
