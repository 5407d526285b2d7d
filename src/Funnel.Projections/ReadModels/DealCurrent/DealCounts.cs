namespace Funnel.Projections.Timeline;

/// <summary>A deal's contribution to the deal counters (by status, loss reason and filter attributes), with its amount.</summary>
public sealed record DealCount(string PipelineId, string LossReason, string Status, string Owner, string Team, string Region, string Product, long N, decimal Amount);

public static partial class TimelineCounts
{
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

    public static IEnumerable<DealCount> Net(IEnumerable<DealCount> changes) =>
        changes.GroupBy(c => c with { N = 0, Amount = 0 }).Select(g => g.Key with { N = g.Sum(c => c.N), Amount = g.Sum(c => c.Amount) })
            .Where(c => c.N != 0 || c.Amount != 0);
}
