using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

public sealed record DealListQuery(string? PipelineId, string? Stage, string? Status, ReportFilter Filter, int Page, int PageSize);

public sealed record DealListItem(string DealId, string PipelineId, string Stage, string Status, decimal Amount, string Currency, string Owner, string? Team, string? Region, string? Product, string? Account, DateTimeOffset StageEnteredAt, int Version);

public sealed record DealList(IReadOnlyList<DealListItem> Items, int Page, int PageSize, long Total) : IReportAnswer
{
    private const string Matching = "(@pipeline::text is null or d.pipeline_id = @pipeline) and (@stage::text is null or d.stage = @stage) and (@status::text is null or d.status = @status)";

    // The page asked for, by deal id, and the count of all (from the deal counts when a pipeline and no stage is asked
    // for: they count the deals by status and filter attributes); a page past the end is one row of nulls with the count.
    // The page's ids first, then their rows: the deals before a deep page are skipped in the index alone (page 200 of 50
    // open deals at a million: 4 ms, where reading each skipped deal's row took 98).
    private static string Sql(bool counted) => $"""
        with d as (select * from {TimelineTables.DealCurrent} d where {Matching} and {ReportFilter.Sql("d")})
        select p.deal_id, p.pipeline_id, p.stage, p.status, p.amount, p.currency, p.owner, p.team, p.region, p.product, p.account, p.stage_entered_at, p.version, t.total
        from ({(counted ? CountedTotal : "select count(*) as total from d")}) t left join lateral (
            select c.* from (select d.deal_id from d order by d.deal_id limit @limit offset @offset) k join {TimelineTables.DealCurrent} c on c.deal_id = k.deal_id) p on true
        order by p.deal_id
        """;

    private static readonly string CountedTotal = $"""
        select coalesce(sum(c.n), 0)::bigint as total from {TimelineTables.DealCounts} c
        where c.pipeline_id = @pipeline and (@status::text is null or c.status = @status) and {ReportFilter.Sql("c")}
        """;

    public static async Task<DealList> RunAsync(ReportDatabase db, DealListQuery q, CancellationToken ct)
    {
        long total = 0;
        var items = await db.QueryAsync(Sql(counted: q is { PipelineId: not null, Stage: null }), c =>
        {
            ReportDatabase.Add(c, "pipeline", q.PipelineId);
            ReportDatabase.Add(c, "stage", q.Stage);
            ReportDatabase.Add(c, "status", q.Status);
            c.Parameters.AddWithValue("limit", q.PageSize);
            c.Parameters.AddWithValue("offset", (q.Page - 1) * q.PageSize);
            q.Filter.AddParameters(c);
        }, r =>
        {
            T Column<T>(string name) => ReportDatabase.Column<T>(r, name);
            total = Column<long>("total");
            return Column<string?>("deal_id") is not { } dealId ? null : new DealListItem(
                dealId, Column<string>("pipeline_id"), Column<string>("stage"), Column<string>("status"), Column<decimal>("amount"), Column<string>("currency"),
                Column<string>("owner"), Column<string?>("team"), Column<string?>("region"), Column<string?>("product"), Column<string?>("account"),
                Column<DateTimeOffset>("stage_entered_at"), Column<int>("version"));
        }, ct);
        return new DealList([.. items.OfType<DealListItem>()], q.Page, q.PageSize, total);
    }
}
