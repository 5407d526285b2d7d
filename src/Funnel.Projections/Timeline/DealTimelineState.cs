using Funnel.Domain.Deals;

namespace Funnel.Projections.Timeline;

/// <summary>What the timeline projection remembers of a deal between batches, stored in deal_current.state.</summary>
public sealed class DealTimelineState
{
    public Deal Deal { get; set; } = new();

    /// <summary>How many residencies the deal has had; the open one, if any, is number <see cref="Residencies"/>.</summary>
    public int Residencies { get; set; }

    /// <summary>Per stage entered: first entry and first advance (business time).</summary>
    public Dictionary<string, StageFact> Facts { get; set; } = [];
}

public sealed class StageFact
{
    public DateTimeOffset FirstEnteredAt { get; set; }

    public DateTimeOffset? AdvancedAt { get; set; }
}
