using Marten;

namespace Funnel.Projections.Timeline;

internal sealed partial class TimelineStatements
{
    // What the interval counts take from an interval: it is written once (begun, perhaps closed) and closed at most once.
    private const string Counted = "returning pipeline_id, status, stage, owner, team, region, product, amount, valid_from, valid_to";

    private static string[] IntervalKeys => ["r.status", "r.stage", "r.owner", "coalesce(r.team, '')", "coalesce(r.region, '')", "coalesce(r.product, '')"];

    private readonly string closeInterval = $"""
        with r as (
            update {tables.DealIntervals.Identifier.QualifiedName} set valid_to = ^::timestamptz, period = tstzrange(valid_from, ^::timestamptz, '[)'),
                closed_seq = ^, closed_recorded_at = ^ where deal_id = ^ and version = ^ {Counted})
        {CountDated(calendar, tables.IntervalCounts, "null::timestamptz", "r.valid_to", IntervalKeys, "r.amount")}
        """;

    /// <summary>Writes the intervals a batch began (closed in place when the batch also ended them), and counts them.</summary>
    public string UpsertIntervals { get; } = $"""
        with r as ({TimelineRows.UpsertMany(tables.DealIntervals)} {Counted})
        {CountDated(calendar, tables.IntervalCounts, "r.valid_from", "r.valid_to", IntervalKeys, "r.amount")}
        """;

    /// <summary>Ends an interval written by an earlier batch, at the event that ends it.</summary>
    public void CloseInterval(IDocumentOperations operations, string dealId, int version, DateTimeOffset validTo, long closedSeq, DateTimeOffset closedRecordedAt) =>
        operations.QueueSqlCommand(TimelineRows.Placeholder, closeInterval, TimelineRows.Instant(validTo), TimelineRows.Instant(validTo), closedSeq, closedRecordedAt, dealId, version);
}
