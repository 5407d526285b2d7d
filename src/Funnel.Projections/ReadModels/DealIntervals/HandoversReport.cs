using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record HandoversQuery(string PipelineId, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>One deal handed over: from whom to whom, when (business time), why, and what it was then.</summary>
public sealed record Handover(string DealId, DateTimeOffset OccurredAt, string From, string To, string? Team, string? Region, string Reason, string Stage, decimal Amount);

/// <summary>The handovers of [from, to), in the order they happened; their count and the open amount that changed hands.</summary>
public sealed record HandoversReport(long Count, decimal Amount, IReadOnlyList<Handover> Handovers) : IReportAnswer
{
    // The intervals a handover began; each keeps the owner before it, as every owner change's interval does.
    private static readonly string Sql = $"""
        select h.deal_id, h.valid_from, h.previous_owner as from_owner, h.owner as to_owner, h.team, h.region, h.handover_reason, h.stage, h.amount
        from {TimelineTables.DealIntervals} h
        where h.pipeline_id = @pipeline and h.handover_reason is not null
          and (@from::timestamptz is null or h.valid_from >= @from) and (@to::timestamptz is null or h.valid_from < @to)
        order by h.valid_from, h.deal_id
        """;

    public static async Task<HandoversReport> RunAsync(ReportDatabase db, HandoversQuery q, CancellationToken ct)
    {
        var rows = await db.QueryAsync(Sql, c =>
        {
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "from", q.From);
            ReportDatabase.Add(c, "to", q.To);
        }, r => new Handover(
            ReportDatabase.Column<string>(r, "deal_id"), ReportDatabase.Column<DateTimeOffset>(r, "valid_from"), ReportDatabase.Column<string>(r, "from_owner"),
            ReportDatabase.Column<string>(r, "to_owner"), ReportDatabase.Column<string?>(r, "team"), ReportDatabase.Column<string?>(r, "region"),
            ReportDatabase.Column<string>(r, "handover_reason"), ReportDatabase.Column<string>(r, "stage"), ReportDatabase.Column<decimal>(r, "amount")), ct);
        return new HandoversReport(rows.Count, rows.Sum(h => h.Amount), rows);
    }
}
