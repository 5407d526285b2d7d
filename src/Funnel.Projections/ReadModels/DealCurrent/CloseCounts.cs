namespace Funnel.Projections.Timeline;

/// <summary>
/// A closed deal's contribution to the close counts, dated by its current close (<paramref name="At"/>): won or lost, its
/// amount and its cycle from capture to close in microseconds, under its current filter attributes.
/// </summary>
public sealed record CloseCount(string PipelineId, string Status, string Owner, string Team, string Region, string Product, DateTimeOffset At, long N, decimal Amount, long CycleMicros)
    : ICounterRow<CloseCount>
{
    public CloseCount KeyOnly() => this with { N = 0, Amount = 0, CycleMicros = 0 };

    public CloseCount Negate() => this with { N = -N, Amount = -Amount, CycleMicros = -CycleMicros };

    public CloseCount Plus(CloseCount other) => this with { N = N + other.N, Amount = Amount + other.Amount, CycleMicros = CycleMicros + other.CycleMicros };

    public bool IsZero() => N == 0 && Amount == 0 && CycleMicros == 0;
}

public static partial class TimelineCounts
{
    public static IReadOnlyList<CloseCount> ClosesOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0 || state.Deal.ClosedAt is not { } closed || state.Deal.Status == Domain.Deals.DealStatus.Open)
        {
            return [];
        }

        var a = DealAttributes.Of(state);
        return [new(state.Deal.PipelineId, a.Status, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", closed, 1, state.Deal.Amount, (closed - state.Deal.CapturedAt).Ticks / 10)];
    }
}
