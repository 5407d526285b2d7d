using Funnel.Domain.Activities;
using Funnel.Domain.Deals;
using JasperFx.Events;
using Marten;

namespace Funnel.Projections.Timeline;

/// <summary>
/// The activities' step. Each row carries the stage its deal stood in at the activity's time, so effort per stage is one
/// scan. Deal events come in business-time order, activities need not: one dated at or after the deal's latest event
/// stands in the deal's stage now; one dated before is stamped from the deal's intervals when the batch is written; and a
/// deal event dated at or before activities already seen re-stamps them from its time on.
/// </summary>
public sealed partial class TimelineProjection
{
    private void ApplyActivity(IEvent e, ActivityLogged activity)
    {
        var row = ActivityRow.From(activity, e.Timestamp, e.Sequence);
        if (activity.DealId is { } dealId && cache.Deals.TryGetValue(dealId, out var state))
        {
            // Its deal's current row is written again with the batch: the stream's version and the last touch moved.
            cache.Batch.Deal(dealId, state).LastSequence = e.Sequence;
            state.StreamVersion = (int)e.Version;
            state.LastActivityAt = state.LastActivityAt > activity.OccurredAt ? state.LastActivityAt : activity.OccurredAt;
            if (activity.OccurredAt >= state.Deal.LastOccurredAt)
            {
                row = row with { Stage = OpenStage(state.Deal) };
            }
            else
            {
                cache.Batch.Backdated.Add(activity.ActivityId);
            }
        }

        cache.Batch.Activities[activity.ActivityId] = row;
    }

    /// <summary>A deal event at <paramref name="at"/>: the deal's activities from then on stand in its new stage (none when it closed).</summary>
    private void RestampActivities(IDocumentOperations operations, DealTimelineState state, DateTimeOffset at)
    {
        if (state.LastActivityAt is not { } last || last < at)
        {
            return;
        }

        var stage = OpenStage(state.Deal);
        foreach (var row in cache.Batch.Activities.Values.Where(a => a.DealId == state.Deal.Id && a.OccurredAt >= at).ToList())
        {
            cache.Batch.Activities[row.ActivityId] = row with { Stage = stage };
        }

        sql.RestampActivities(operations, state.Deal.Id, at, stage);
    }

    private static string? OpenStage(Deal deal) => deal.Status == DealStatus.Open ? deal.Stage : null;
}
