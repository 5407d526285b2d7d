namespace Funnel.Projections.Timeline;

/// <summary>A row of deal_projection_state: what the projection remembers of a deal between batches, as its JSON.</summary>
public sealed record StateRow(string DealId, string State)
{
    public StateRow(string dealId, DealTimelineState state)
        : this(dealId, TimelineRows.Serialize(state))
    {
    }
}
