namespace Funnel.Projections.Timeline;

/// <summary>How a deal's first entries into stages and its advances are recorded.</summary>
public sealed partial class TimelineProjection
{
    /// <summary>
    /// A first entry into a stage starts its fact; entering any stage advances every earlier stage not yet advanced, in
    /// the order of the pipeline's version at the event's <paramref name="sequence"/>.
    /// </summary>
    private void RecordEntry(DealTimelineState state, string stage, DateTimeOffset at, long sequence)
    {
        var order = cache.PipelineAt(state.Deal.PipelineId, sequence) is { } pipeline ? pipeline.Stages.Select(s => s.Id).ToList() : [];
        var entered = order.IndexOf(stage);
        Advance(state, at, s => order.IndexOf(s) is var i && i >= 0 && i < entered);
        if (state.Facts.TryAdd(stage, new StageFact { FirstEnteredAt = at }))
        {
            cache.Batch.Facts.Add((state.Deal.Id, stage));
        }
    }

    private void Advance(DealTimelineState state, DateTimeOffset at, Func<string, bool> earlier)
    {
        foreach (var (stage, fact) in state.Facts.Where(f => f.Value.AdvancedAt is null && earlier(f.Key)))
        {
            fact.AdvancedAt = at;
            cache.Batch.Facts.Add((state.Deal.Id, stage));
        }
    }
}
