using Funnel.Domain.Deals;
using JasperFx.Events;
using Marten;

namespace Funnel.Projections.Timeline;

/// <summary>How every deal event ends the deal's interval and begins the next.</summary>
public sealed partial class TimelineProjection
{
    /// <summary>The interval in force ends at this event: in the batch if it began there, else by a statement.</summary>
    private void EndInterval(IDocumentOperations operations, IEvent e, string dealId, int version, DateTimeOffset at)
    {
        if (cache.Batch.Intervals.TryGetValue((dealId, version), out var open))
        {
            cache.Batch.Intervals[(dealId, version)] = open.ClosedBy(at, e);
        }
        else if (version > 0)
        {
            Sql.CloseInterval(operations, dealId, version, validTo: at, closedSeq: e.Sequence, closedRecordedAt: e.Timestamp);
        }
    }

    private void BeginInterval(IEvent e, Deal deal, DateTimeOffset at, DealStatus? statusBefore, string? stageBefore) =>
        cache.Batch.Intervals[(deal.Id, deal.Version)] = IntervalRow.From(deal, at, e, statusBefore, stageBefore);
}
