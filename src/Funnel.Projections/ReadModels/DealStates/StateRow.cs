namespace Funnel.Projections.Timeline;

/// <summary>A row of deal_projection_state: what the projection remembers of a deal between batches.</summary>
public sealed record StateRow(string DealId, DealTimelineState State);
