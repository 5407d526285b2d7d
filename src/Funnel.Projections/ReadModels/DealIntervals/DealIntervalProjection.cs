using Funnel.Domain.Deals;
using JasperFx.Events;
using Marten;

namespace Funnel.Projections.Timeline;

/// <summary>How every deal event ends the deal's interval and begins the next.</summary>
public sealed partial class TimelineProjection
{
    /// <summary>The interval in force ends at this event: in the batch if it began there, else by a statement (and in the catch-up's sums, if it keeps them).</summary>
    /// <param name="deal">The deal as it stood in that interval.</param>
    private void EndInterval(IDocumentOperations operations, IEvent e, Deal deal, DateTimeOffset at)
    {
        if (deal.Version == 0)
        {
            return;
        }

        if (cache.Batch.Intervals.TryGetValue((deal.Id, deal.Version), out var open))
        {
            cache.Batch.Intervals[(deal.Id, deal.Version)] = open.ClosedBy(at, e);
        }
        else
        {
            Sql.CloseInterval(operations, deal.Id, deal.Version, validTo: at, closedSeq: e.Sequence, closedRecordedAt: e.Timestamp);
            cache.Summed?.Add(RowCounters.Ended(Sql, CountedInterval.Ended(deal, at, e.Timestamp)));
        }
    }

    private void BeginInterval(IEvent e, Deal deal, DateTimeOffset at, DealStatus? statusBefore, string? stageBefore, decimal? amountBefore) =>
        cache.Batch.Intervals[(deal.Id, deal.Version)] = IntervalRow.From(deal, at, e, statusBefore, stageBefore, amountBefore);
}
