namespace Funnel.Projections.Timeline;

/// <summary>A row of the activity counts' sums: one activity on its calendar day (<see cref="At"/>, a day already).</summary>
internal sealed record ActivityCount(string PipelineId, DateOnly At, string Rep, string Team, string Kind, long N, long Minutes);

public static partial class TimelineCounts
{
    /// <summary>What an activity adds to the activity counts, as their statement counts it (ActivityStatements): its counted fields never change.</summary>
    internal static ActivityCount ActivityCountOf(ActivityRow a, CounterCalendar calendar) =>
        new(a.PipelineId ?? "", calendar.DayOf(a.OccurredAt), a.Rep, a.Team ?? "", a.Kind, 1, a.DurationMinutes ?? 0);
}
