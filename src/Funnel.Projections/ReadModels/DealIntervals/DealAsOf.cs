using Funnel.Domain.Deals;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

/// <summary>One deal as it stood at an instant of business time: the interval in force then.</summary>
public sealed record DealAsOf(
    string DealId, string PipelineId, string Stage, string Status, decimal Amount, string Currency, string Owner, string? Team, string? Region,
    string? Product, string? Account, DateOnly? ExpectedCloseDate, string? LossReason, decimal Probability, decimal WeightedAmount, DateTimeOffset ValidFrom,
    DateTimeOffset? ValidTo, long Version, DateTimeOffset AsOf) : IReportAnswer
{
    private static readonly string Sql = $"""
        select i.deal_id, i.pipeline_id, i.stage, i.status, i.amount, i.currency, i.owner, i.team, i.region, i.product, i.account, i.expected_close,
               i.loss_reason, (
                   select s.probability from {TimelineTables.PipelineVersions} pv, jsonb_to_recordset(pv.stages) as s(id text, probability numeric)
                   where pv.pipeline_id = i.pipeline_id and s.id = i.stage and pv.version = {PipelineStages.VersionInForce("i.pipeline_id", "@asOf")}) as stage_probability,
               i.valid_from, i.valid_to, i.version
        from {TimelineTables.DealIntervals} i
        where i.deal_id = @deal and i.valid_from <= @asOf order by i.version desc limit 1
        """;

    /// <summary>The stage's probability comes from the pipeline definition in force at asOf; the status decides how it counts.</summary>
    public static async Task<DealAsOf?> RunAsync(ReportDatabase db, string dealId, DateTimeOffset asOf, CancellationToken ct) =>
        (await db.QueryAsync(Sql, c =>
        {
            ReportDatabase.Add(c, "deal", dealId);
            ReportDatabase.Add(c, "asOf", asOf);
        }, r => Read(r, asOf), ct)).SingleOrDefault();

    private static DealAsOf Read(Npgsql.NpgsqlDataReader r, DateTimeOffset asOf)
    {
        T Column<T>(string name) => ReportDatabase.Column<T>(r, name);
        var (amount, status) = (Column<decimal>("amount"), Column<string>("status"));
        var probability = WinProbability.Of(Enum.Parse<DealStatus>(status, ignoreCase: true), Column<decimal?>("stage_probability"));
        return new DealAsOf(
            Column<string>("deal_id"), Column<string>("pipeline_id"), Column<string>("stage"), status, amount, Column<string>("currency"), Column<string>("owner"),
            Column<string?>("team"), Column<string?>("region"), Column<string?>("product"), Column<string?>("account"), Column<DateOnly?>("expected_close"),
            Column<string?>("loss_reason"), probability, amount * probability, Column<DateTimeOffset>("valid_from"), Column<DateTimeOffset?>("valid_to"),
            Column<int>("version"), asOf);
    }
}
