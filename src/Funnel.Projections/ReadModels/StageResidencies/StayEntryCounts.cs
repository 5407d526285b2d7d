namespace Funnel.Projections.Timeline;

/// <summary>
/// A deal's contribution to the stay entry counts: a stay in <paramref name="Stage"/> entered at
/// <paramref name="EnteredAt"/> counted +1 from its entry and -1 from its end (<paramref name="At"/>): summed up to a day,
/// the stays open at its first instant by when they were entered, so their ages' median and the stalled ones past a
/// threshold at any past midnight cost the days and months of entry, not the stays.
/// </summary>
public sealed record StayEntryCount(string PipelineId, string Stage, DateTimeOffset EnteredAt, DateTimeOffset At, long N) : ICountedRow<StayEntryCount>
{
    public StayEntryCount WithN(long n) => this with { N = n };
}

public static partial class TimelineCounts
{
    /// <summary>Each stay of the deal: its entry, and its end once it has ended.</summary>
    public static IReadOnlyList<StayEntryCount> StayEntriesOf(DealTimelineState? state)
    {
        if (state is null || state.Deal.Version == 0)
        {
            return [];
        }

        var entries = new List<StayEntryCount>();
        for (var i = 0; i < state.Stages.Count; i++)
        {
            if (state.Stages[i] is { Stage: { } stage, At: var entered })
            {
                entries.Add(new(state.Deal.PipelineId, stage, entered, entered, 1));
                if (i + 1 < state.Stages.Count)
                {
                    entries.Add(new(state.Deal.PipelineId, stage, entered, state.Stages[i + 1].At, -1));
                }
            }
        }

        return entries;
    }
}
