namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    public string UpsertActivities { get; } = TimelineRows.UpsertMany(tables.Activities);

    /// <summary>Activities dated before their deal's latest event when projected: the stage of the deal's open interval then, if any.</summary>
    public string StampBackdatedActivities { get; } =
        $"update {tables.Activities.Identifier.QualifiedName} a set stage = i.stage from {tables.DealIntervals.Identifier.QualifiedName} i " +
        "where a.activity_id = any(^) and i.deal_id = a.deal_id and i.status = 'open' and i.period @> a.occurred_at";

    private readonly string restamp = $"update {tables.Activities.Identifier.QualifiedName} set stage = ^::text where deal_id = ^ and occurred_at >= ^::timestamptz";

    /// <summary>A deal event dated at or before activities written by earlier batches: from its time on they stand in <paramref name="stage"/>.</summary>
    public void RestampActivities(Marten.IDocumentOperations operations, string dealId, DateTimeOffset from, string? stage) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, restamp, (object?)stage ?? DBNull.Value, dealId, TimelineRows.Instant(from));
}
