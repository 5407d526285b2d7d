namespace Funnel.Projections.Timeline;

/// <summary>A deal's contribution to the counters; the projection adds the new one and takes back the old one when they differ.</summary>
public sealed record StageCount(string PipelineId, string Stage, bool Advanced, string Status, string Owner, string Team, string Region, string Product, long N);

public sealed record DealCount(string PipelineId, string LossReason, string Status, string Owner, string Team, string Region, string Product, long N, decimal Amount);

public static class TimelineCounts
{
    public static IReadOnlyList<StageCount> Of(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return [];
        }

        var a = DealAttributes.Of(state);
        return state.Facts
            .Select(f => new StageCount(state.Deal.PipelineId, f.Key, f.Value.AdvancedAt is not null, a.Status, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", 1))
            .ToList();
    }

    public static DealCount? DealOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return null;
        }

        var a = DealAttributes.Of(state);
        return new DealCount(state.Deal.PipelineId, state.Deal.LossReason ?? "", a.Status, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", 1, state.Deal.Amount);
    }

    /// <summary>What to add to the deal counters to go from one contribution to the other: nothing when they are the same.</summary>
    public static IEnumerable<DealCount> Changes(DealCount? before, DealCount? after) =>
        before == after ? [] : new[] { before is null ? null : before with { N = -before.N, Amount = -before.Amount }, after }.OfType<DealCount>();

    /// <summary>Changes summed per key, zeros left out: one row per counter a batch touches.</summary>
    public static IEnumerable<StageCount> Net(IEnumerable<StageCount> changes) =>
        changes.GroupBy(c => c with { N = 0 }).Select(g => g.Key with { N = g.Sum(c => c.N) }).Where(c => c.N != 0)
            .OrderBy(c => (c.PipelineId, c.Stage, c.Advanced, c.Status, c.Owner, c.Team, c.Region, c.Product));

    public static IEnumerable<DealCount> Net(IEnumerable<DealCount> changes) =>
        changes.GroupBy(c => c with { N = 0, Amount = 0 }).Select(g => g.Key with { N = g.Sum(c => c.N), Amount = g.Sum(c => c.Amount) })
            .Where(c => c.N != 0 || c.Amount != 0).OrderBy(c => (c.PipelineId, c.LossReason, c.Status, c.Owner, c.Team, c.Region, c.Product));

    /// <summary>What to add to the counters to go from one contribution to the other: nothing when they are the same.</summary>
    public static IEnumerable<StageCount> Changes(IReadOnlyList<StageCount> before, IReadOnlyList<StageCount> after) =>
        before.Except(after).Select(c => c with { N = -1 }).Concat(after.Except(before));
}
