namespace Funnel.Projections.Timeline;

/// <summary>
/// An open deal's contribution to the open stay counts: its stay in <paramref name="Stage"/>, entered at
/// <paramref name="At"/>, under its current filter attributes.
/// </summary>
public sealed record OpenStayCount(string PipelineId, string Stage, string Owner, string Team, string Region, string Product, DateTimeOffset At, long N)
    : ICountedRow<OpenStayCount>
{
    public OpenStayCount WithN(long n) => this with { N = n };
}

public static partial class TimelineCounts
{
    /// <summary>The stay an open deal stands in (entered at its last change of stage), none for a closed one.</summary>
    public static IReadOnlyList<OpenStayCount> OpenStayOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0 || state.Stages.LastOrDefault() is not { Stage: { } stage, At: var entered })
        {
            return [];
        }

        var a = DealAttributes.Of(state);
        return [new(state.Deal.PipelineId, stage, a.Owner, a.Team ?? "", a.Region ?? "", a.Product ?? "", entered, 1)];
    }
}
