namespace Funnel.Projections.Timeline;

/// <summary>
/// A deal's contribution to the advance counts: one of a stage's first entries, made at <paramref name="At"/>, advanced
/// from within <paramref name="LagDays"/> days (the lag rounded up to whole days: within d whole days exactly when
/// LagDays ≤ d), under the deal's current filter attributes.
/// </summary>
public sealed record AdvanceCount(string PipelineId, string Stage, int LagDays, string Owner, string Team, string Region, string Product, DateTimeOffset At, long N)
    : ICountedRow<AdvanceCount>
{
    public AdvanceCount WithN(long n) => this with { N = n };
}

public static partial class TimelineCounts
{
    public static IReadOnlyList<AdvanceCount> AdvancesOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return [];
        }

        var a = DealAttributes.Of(state);
        return
        [
            .. state.Facts.Where(f => f.Value.AdvancedAt is not null).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new AdvanceCount(
                state.Deal.PipelineId, f.Key, LagDays(f.Value.AdvancedAt!.Value - f.Value.FirstEnteredAt), a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "",
                f.Value.FirstEnteredAt, 1)),
        ];
    }

    /// <summary>A lag in whole days, rounded up (0 for none).</summary>
    public static int LagDays(TimeSpan lag) => (int)((lag.Ticks + TimeSpan.TicksPerDay - 1) / TimeSpan.TicksPerDay);
}
