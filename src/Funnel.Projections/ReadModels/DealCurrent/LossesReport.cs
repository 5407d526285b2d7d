using System.Text.Json.Serialization;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record LossesQuery(string PipelineId, ReportFilter Filter, DateTimeOffset? From, DateTimeOffset? To, bool Explain)
{
    /// <summary>No window and no deal lists: the running counts answer it.</summary>
    public bool AsItStands => From is null && To is null && !Explain;
}

public sealed record LossReason(string Reason, long Count, decimal Amount, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Deals);

public sealed record LossesReport(IReadOnlyList<LossReason> Reasons) : IReportAnswer
{
    // Deals lost now, whose loss falls in [from, to) when given: most frequent reason first.
    private static string Sql(bool explain) => $"""
        select d.loss_reason, count(*) as n, sum(d.amount) as amount, {DealLists.When(explain, "array_agg(d.deal_id order by d.deal_id)")} as deals
        from {TimelineTables.DealCurrent} d
        where d.pipeline_id = @pipeline and d.status = 'lost' and {ReportFilter.Sql("d")}
          and (@from::timestamptz is null or d.closed_at >= @from) and (@to::timestamptz is null or d.closed_at < @to)
        group by d.loss_reason order by count(*) desc, d.loss_reason
        """;

    private static readonly string CountedSql = $"""
        select c.loss_reason, sum(c.n)::bigint as n, sum(c.amount) as amount, null::text[] as deals
        from {TimelineTables.DealCounts} c
        where c.pipeline_id = @pipeline and c.status = 'lost' and {ReportFilter.Sql("c")}
        group by c.loss_reason having sum(c.n) > 0 order by sum(c.n) desc, c.loss_reason
        """;

    public static async Task<LossesReport> RunAsync(ReportDatabase db, LossesQuery q, CancellationToken ct) =>
        new(await db.QueryAsync(q.AsItStands ? CountedSql : Sql(q.Explain), c =>
        {
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "from", q.From);
            ReportDatabase.Add(c, "to", q.To);
            q.Filter.AddParameters(c);
        }, r => new LossReason(
            ReportDatabase.Column<string>(r, "loss_reason"), ReportDatabase.Column<long>(r, "n"), ReportDatabase.Column<decimal>(r, "amount"),
            q.Explain ? ReportDatabase.Strings(r, "deals") : null), ct));
}
