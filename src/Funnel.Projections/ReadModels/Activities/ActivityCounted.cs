namespace Funnel.Projections.Timeline;

/// <summary>A row of the activity counts' sums: one activity on its calendar day (<see cref="At"/>, a day already).</summary>
internal sealed record ActivityCount(string PipelineId, DateOnly At, string Rep, string Team, string Kind, long N, long Minutes);

/// <summary>A row of a rep's day's deals' sums: one deal the rep logged work on that day.</summary>
internal sealed record RepDayDeal(string PipelineId, DateOnly Day, string Rep, long N);

/// <summary>A row of a rep's day's deals per team: one deal the rep logged work on that day among one team's activities.</summary>
internal sealed record RepDayTeamDeal(string PipelineId, DateOnly Day, string Rep, string Team, long N);

public static partial class TimelineCounts
{
    /// <summary>What an activity adds to the activity counts, as their statement counts it (ActivityStatements): its counted fields never change.</summary>
    internal static ActivityCount ActivityCountOf(ActivityRow a, CounterCalendar calendar) =>
        new(a.PipelineId ?? "", calendar.DayOf(a.OccurredAt), a.Rep, a.Team ?? "", a.Kind, 1, a.DurationMinutes ?? 0);

    /// <summary>
    /// What activities add to the reps' days' deals, as their statement counts them (ActivityStatements): each deal once
    /// a rep's day. Only whole when they are every activity of their deals.
    /// </summary>
    internal static IEnumerable<RepDayDeal> RepDayDealsOf(IEnumerable<ActivityRow> activities, CounterCalendar calendar) =>
        activities.Where(a => a.DealId is not null).Select(a => (PipelineId: a.PipelineId ?? "", Day: calendar.DayOf(a.OccurredAt), a.Rep, a.DealId)).Distinct()
            .Select(d => new RepDayDeal(d.PipelineId, d.Day, d.Rep, 1));

    /// <summary>The same per team of the activities ('' for none): each deal once a rep's day and team.</summary>
    internal static IEnumerable<RepDayTeamDeal> RepDayTeamDealsOf(IEnumerable<ActivityRow> activities, CounterCalendar calendar) =>
        activities.Where(a => a.DealId is not null).Select(a => (PipelineId: a.PipelineId ?? "", Day: calendar.DayOf(a.OccurredAt), a.Rep, Team: a.Team ?? "", a.DealId)).Distinct()
            .Select(d => new RepDayTeamDeal(d.PipelineId, d.Day, d.Rep, d.Team, 1));
}
