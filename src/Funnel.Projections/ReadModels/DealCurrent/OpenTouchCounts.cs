namespace Funnel.Projections.Timeline;

/// <summary>
/// An open deal's contribution to the open touch counts: last touched at <paramref name="At"/> (its latest activity, else
/// its capture), under its current filter attributes.
/// </summary>
public sealed record OpenTouchCount(string PipelineId, string Owner, string Team, string Region, string Product, DateTimeOffset At, long N)
    : ICountedRow<OpenTouchCount>
{
    public OpenTouchCount WithN(long n) => this with { N = n };
}

public static partial class TimelineCounts
{
    public static IReadOnlyList<OpenTouchCount> OpenTouchOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0 || state.Deal.Status != Domain.Deals.DealStatus.Open)
        {
            return [];
        }

        var a = DealAttributes.Of(state);
        return [new(state.Deal.PipelineId, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", CurrentRow.LastTouchOf(state), 1)];
    }
}
