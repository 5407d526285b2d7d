namespace Funnel.Projections.Timeline;

/// <summary>
/// An open deal's contribution to the open touch counts: last touched at <paramref name="At"/> (its latest activity, else
/// its capture), under its current filter attributes.
/// </summary>
public sealed record OpenTouchCount(string PipelineId, string Owner, string Team, string Region, string Product, DateTimeOffset At, long N)
    : ICounterRow<OpenTouchCount>
{
    public OpenTouchCount KeyOnly() => this with { N = 0 };

    public OpenTouchCount Negate() => this with { N = -N };

    public OpenTouchCount Plus(OpenTouchCount other) => this with { N = N + other.N };

    public bool IsZero() => N == 0;
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
