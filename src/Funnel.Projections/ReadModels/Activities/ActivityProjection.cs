using Funnel.Domain.Activities;
using Funnel.Domain.Deals;
using JasperFx.Events;
using Marten;

namespace Funnel.Projections.Timeline;

/// <summary>
/// The activities' step. Each row carries the stage its deal stood in at the activity's time, so effort per stage is one
/// scan. Deal events come in business-time order, activities need not: one dated at or after the deal's latest event
/// stands in the deal's stage now; one dated before is stamped from the deal's intervals when the batch is written; and a
/// deal event dated at or before activities already seen re-stamps them from its time on. The deal's state counts the
/// same activities per stage and kind (the effort counts), by the stages it remembers and the activities logged on it.
/// </summary>
public sealed partial class TimelineProjection
{
    private void ApplyActivity(IEvent e, ActivityLogged activity)
    {
        var row = ActivityRow.From(activity, e.Timestamp, e.Sequence);
        if (activity.DealId is { } dealId && cache.Deals.TryGetValue(dealId, out var state))
        {
            // Its deal's current row is written again with the batch: the stream's version and the last touch moved.
            cache.Batch.Deal(dealId, state, cache.TakesContributions).LastSequence = e.Sequence;
            state.StreamVersion = (int)e.Version;
            state.LastActivityAt = state.LastActivityAt > activity.OccurredAt ? state.LastActivityAt : activity.OccurredAt;
            string? stage;
            if (activity.OccurredAt >= state.Deal.LastOccurredAt)
            {
                stage = OpenStage(state.Deal);
                row = row with { Stage = stage };
            }
            else
            {
                stage = state.StageAt(activity.OccurredAt);
                cache.Batch.Backdated.Add(activity.ActivityId);
            }

            state.Activities.Add(new LoggedActivity(activity.OccurredAt, activity.Kind));
            Count(state, stage, activity.Kind, 1);
        }

        cache.Batch.Activities[activity.ActivityId] = row;
    }

    /// <summary>
    /// A deal event at <paramref name="at"/>, once applied: the deal's activities from then on stand in its new stage (none
    /// when it closed), their rows re-stamped and their effort counts moved; the change noted with how the stay it ended
    /// was left (<paramref name="exit"/>).
    /// </summary>
    private void RestampActivities(IDocumentOperations operations, DealTimelineState state, DateTimeOffset at, string? wasOpenIn, string? exit)
    {
        var stage = OpenStage(state.Deal);
        if (stage != wasOpenIn)
        {
            state.Stages.Add(new StageChange(at, stage, exit));
            // Deal events come in business-time order: the activities dated at or after this one stood in the stage it left.
            foreach (var moved in state.Activities.Where(u => u.At >= at))
            {
                Count(state, wasOpenIn, moved.Kind, -1);
                Count(state, stage, moved.Kind, 1);
            }
        }

        if (state.LastActivityAt is not { } last || last < at)
        {
            return;
        }

        foreach (var row in cache.Batch.Activities.Values.Where(a => a.DealId == state.Deal.Id && a.OccurredAt >= at).ToList())
        {
            cache.Batch.Activities[row.ActivityId] = row with { Stage = stage };
        }

        Sql.RestampActivities(operations, state.Deal.Id, at, stage);
    }

    /// <summary>Counts activities of <paramref name="kind"/> in the deal's fact of <paramref name="stage"/> (none: not in a stage).</summary>
    private static void Count(DealTimelineState state, string? stage, string kind, long n)
    {
        if (stage is not null && state.Facts.TryGetValue(stage, out var fact))
        {
            fact.Count(kind, n);
        }
    }

    private static string? OpenStage(Deal deal) => deal.Status == DealStatus.Open ? deal.Stage : null;
}
