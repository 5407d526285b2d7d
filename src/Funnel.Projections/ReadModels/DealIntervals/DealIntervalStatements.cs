using Marten;

namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    private readonly string closeInterval =
        $"update {tables.DealIntervals.Identifier.QualifiedName} set valid_to = ^::timestamptz, period = tstzrange(valid_from, ^::timestamptz, '[)'), " +
        "closed_seq = ^, closed_recorded_at = ^ where deal_id = ^ and version = ^";

    /// <summary>Writes the intervals a batch began (closed in place when the batch also ended them).</summary>
    public string UpsertIntervals { get; } = TimelineRows.UpsertMany(tables.DealIntervals);

    /// <summary>Ends an interval written by an earlier batch, at the event that ends it.</summary>
    public void CloseInterval(IDocumentOperations operations, string dealId, int version, DateTimeOffset validTo, long closedSeq, DateTimeOffset closedRecordedAt) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, closeInterval, TimelineRows.Instant(validTo), TimelineRows.Instant(validTo), closedSeq, closedRecordedAt, dealId, version);
}
