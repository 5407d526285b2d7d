using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record HandoversQuery(string PipelineId, DateTimeOffset? From, DateTimeOffset? To, int Page = 1, int PageSize = 50)
{
    /// <summary>The organisation's zone, where the handover counts' days begin.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>A window of whole days in the zone (either end open): the handover counts give the count and the amount.</summary>
    public bool Countable => CountedDays.WholeDays(From, To, Zone);
}

/// <summary>One deal handed over: from whom to whom, when (business time), why, and what it was then.</summary>
public sealed record Handover(string DealId, DateTimeOffset OccurredAt, string From, string To, string? Team, string? Region, string Reason, string Stage, decimal Amount);

/// <summary>The handovers of [from, to), a page in the order they happened; their count and the open amount that changed hands.</summary>
public sealed record HandoversReport(long Count, decimal Amount, IReadOnlyList<Handover> Handovers, int Page, int PageSize) : IReportAnswer
{
    // The intervals a handover began; each keeps the owner before it, as every owner change's interval does.
    private const string InWindow = "h.pipeline_id = @pipeline and h.handover_reason is not null and (@from::timestamptz is null or h.valid_from >= @from) and (@to::timestamptz is null or h.valid_from < @to)";

    private static readonly string PageSql = $"""
        select h.deal_id, h.valid_from, h.previous_owner as from_owner, h.owner as to_owner, h.team, h.region, h.handover_reason, h.stage, h.amount
        from {TimelineTables.DealIntervals} h where {InWindow}
        order by h.valid_from, h.deal_id limit @limit offset @offset
        """;

    private static readonly string TotalSql = $"select count(*) as n, coalesce(sum(h.amount), 0) as amount from {TimelineTables.DealIntervals} h where {InWindow}";

    private static readonly string CountedTotalSql = $"""
        select coalesce(sum(c.n), 0)::bigint as n, coalesce(sum(c.amount), 0) as amount from {TimelineTables.HandoverCounts} c
        where c.pipeline_id = @pipeline and {CountedDays.Within("c")}
        """;

    public static async Task<HandoversReport> RunAsync(ReportDatabase db, HandoversQuery q, CancellationToken ct)
    {
        void Parameters(Npgsql.NpgsqlCommand c)
        {
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "from", q.From);
            ReportDatabase.Add(c, "to", q.To);
            c.Parameters.AddWithValue("limit", q.PageSize);
            c.Parameters.AddWithValue("offset", (q.Page - 1) * q.PageSize);
            CountedDays.AddWithin(c, q.From, q.To, q.Zone);
        }

        var totalSql = q.Countable && await db.CountedInAsync(q.Zone, ct) ? CountedTotalSql : TotalSql;
        var (count, amount) = (await db.QueryAsync(totalSql, Parameters, r => (ReportDatabase.Column<long>(r, "n"), ReportDatabase.Column<decimal>(r, "amount")), ct)).Single();
        var rows = await db.QueryAsync(PageSql, Parameters, r => new Handover(
            ReportDatabase.Column<string>(r, "deal_id"), ReportDatabase.Column<DateTimeOffset>(r, "valid_from"), ReportDatabase.Column<string>(r, "from_owner"),
            ReportDatabase.Column<string>(r, "to_owner"), ReportDatabase.Column<string?>(r, "team"), ReportDatabase.Column<string?>(r, "region"),
            ReportDatabase.Column<string>(r, "handover_reason"), ReportDatabase.Column<string>(r, "stage"), ReportDatabase.Column<decimal>(r, "amount")), ct);
        return new HandoversReport(count, amount, rows, q.Page, q.PageSize);
    }
}
