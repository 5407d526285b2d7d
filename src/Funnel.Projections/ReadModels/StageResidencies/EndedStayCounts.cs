namespace Funnel.Projections.Timeline;

/// <summary>
/// A deal's contribution to the ended stay counts: a stay in <paramref name="Stage"/> that ended at <paramref name="At"/>
/// after <paramref name="Micros"/> microseconds (summed as integers, so a count kept live and one rebuilt agree to the
/// last digit), counted by its whole days (<paramref name="Day"/>) and whole hours (<paramref name="Hour"/>) of dwell,
/// but dated by its end: summed up to a day, the completed stays' dwell as the funnel stood then.
/// </summary>
public sealed record EndedStayCount(string PipelineId, string Stage, int Day, int Hour, DateTimeOffset At, long N, long Micros)
    : ICounterRow<EndedStayCount>
{
    public EndedStayCount KeyOnly() => this with { N = 0, Micros = 0 };

    public EndedStayCount Negate() => this with { N = -N, Micros = -Micros };

    public EndedStayCount Plus(EndedStayCount other) => this with { N = N + other.N, Micros = Micros + other.Micros };

    public bool IsZero() => N == 0 && Micros == 0;
}

public static partial class TimelineCounts
{
    private const long MicrosPerHour = 3_600_000_000;

    private const long MicrosPerDay = 24 * MicrosPerHour;

    /// <summary>Each stay of the deal that has ended, at its end, with its dwell.</summary>
    public static IReadOnlyList<EndedStayCount> EndedStaysOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return [];
        }

        var ended = new List<EndedStayCount>();
        for (var i = 0; i + 1 < state.Stages.Count; i++)
        {
            if (state.Stages[i] is { Stage: { } stage, At: var entered })
            {
                var left = state.Stages[i + 1].At;
                var micros = (left - entered).Ticks / 10;
                ended.Add(new(state.Deal.PipelineId, stage, (int)(micros / MicrosPerDay), (int)(micros / MicrosPerHour), left, 1, micros));
            }
        }

        return ended;
    }
}
