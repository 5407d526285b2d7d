using Funnel.Domain.Deals;
using Funnel.Projections.Timeline;

namespace Funnel.Projections.Reports;

/// <summary>One deal as it stood at an instant of business time: the interval in force then.</summary>
public sealed record DealAsOf(
    string DealId, string PipelineId, string Stage, string Status, decimal Amount, string Currency, string Owner, string? Team, string? Region,
    string? Product, string? Account, DateOnly? ExpectedCloseDate, string? LossReason, decimal Probability, decimal WeightedAmount, DateTimeOffset ValidFrom,
    DateTimeOffset? ValidTo, long Version, long Sequence, DateTimeOffset AsOf)
{
    private static readonly string Sql = $"""
        select i.deal_id, i.pipeline_id, i.stage, i.status, i.amount, i.currency, i.owner, i.team, i.region, i.product, i.account, i.expected_close,
               i.loss_reason, (
                   select s.probability from {TimelineTables.PipelineVersions} pv, jsonb_to_recordset(pv.stages) as s(id text, probability numeric)
                   where pv.pipeline_id = i.pipeline_id and s.id = i.stage and pv.version = {PipelineStages.VersionInForce("i.pipeline_id", "@asOf")}),
               i.valid_from, i.valid_to, i.version, i.seq
        from {TimelineTables.DealIntervals} i
        where i.deal_id = @deal and i.valid_from <= @asOf order by i.version desc limit 1
        """;

    /// <summary>The stage's probability comes from the pipeline definition in force at asOf; the status decides how it counts.</summary>
    public static async Task<DealAsOf?> RunAsync(ReportDatabase db, string dealId, DateTimeOffset asOf, CancellationToken ct) =>
        (await db.QueryAsync(Sql, c =>
        {
            ReportDatabase.Add(c, "deal", dealId);
            ReportDatabase.Add(c, "asOf", asOf);
        }, r => new DealAsOf(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetDecimal(4), r.GetString(5), r.GetString(6),
            r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
            r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetFieldValue<DateOnly>(11), r.IsDBNull(12) ? null : r.GetString(12),
            StageWeight(r), r.GetDecimal(4) * StageWeight(r), r.GetFieldValue<DateTimeOffset>(14),
            r.IsDBNull(15) ? null : r.GetFieldValue<DateTimeOffset>(15), r.GetInt32(16), r.GetInt64(17), asOf), ct)).SingleOrDefault();

    private static decimal StageWeight(Npgsql.NpgsqlDataReader r) =>
        WinProbability.Of(Enum.Parse<DealStatus>(r.GetString(3), ignoreCase: true), ReportDatabase.NullableDecimal(r, 13));
}
